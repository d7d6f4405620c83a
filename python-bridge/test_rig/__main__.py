"""python3 -m test_rig COMMAND PATH... [PATTERN...] [test-rig options]

COMMAND is run, list or describe. PATHs are Python test files or directories
of test_*.py files; other words are test patterns (default: every Python
test) and test-rig options such as --config, -H, --report-json. test-rig
itself tells options, their values and paths apart, from every option's
declaration.
"""
import sys

import test_rig_python

COMMANDS = ("run", "list", "describe")


def main():
    args = sys.argv[1:]
    if not any(word in COMMANDS for word in args):
        sys.stderr.write(__doc__.strip() + "\n")
        return 2
    sys.stdout.flush()
    return test_rig_python._main(args)


if __name__ == "__main__":
    sys.exit(main())
