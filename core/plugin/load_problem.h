// core/plugin/load_problem.h -- a plugin that could not be loaded, or a
// binding that could not be applied, named by its file: what the registry
// reports and the reports list, without the registry itself.
#ifndef TEST_RIG_CORE_PLUGIN_LOAD_PROBLEM_H_
#define TEST_RIG_CORE_PLUGIN_LOAD_PROBLEM_H_

#include <string>

namespace rig {

struct LoadProblem {
  std::string path;
  std::string message;
};

}  // namespace rig

#endif  // TEST_RIG_CORE_PLUGIN_LOAD_PROBLEM_H_
