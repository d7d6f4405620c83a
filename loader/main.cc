// test-rig: discovers test plugins, merges their options into one CLI and
// config, and runs their state machines against a MySQL-protocol server.
#include "loader/app.h"

int main(int argc, char** argv) { return rig::test_rig_main(argc, argv); }
