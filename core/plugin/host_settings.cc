#include "core/plugin/host_settings.h"

#include <map>
#include <utility>

namespace rig {
namespace {

std::string& entry_path() {
  static std::string path;
  return path;
}

struct HostList {
  std::vector<std::string> items;
  std::vector<const char*> view;  // points into items
};

std::map<std::string, HostList>& host_lists() {
  static std::map<std::string, HostList> lists;
  return lists;
}

std::vector<StateBinding>& pending_bindings() {
  static std::vector<StateBinding> bindings;
  return bindings;
}

}  // namespace

void set_entry_plugin_path(std::string path) { entry_path() = std::move(path); }

const std::string& entry_plugin_file() { return entry_path(); }

void set_host_list(const std::string& key, std::vector<std::string> items) {
  HostList& list = host_lists()[key];
  list.items = std::move(items);
  list.view.clear();
  for (const auto& item : list.items) list.view.push_back(item.c_str());
}

const std::vector<const char*>* host_list(const std::string& key) {
  auto it = host_lists().find(key);
  return it == host_lists().end() ? nullptr : &it->second.view;
}

void add_state_binding(StateBinding binding) { pending_bindings().push_back(std::move(binding)); }

std::vector<StateBinding> take_state_bindings() { return std::exchange(pending_bindings(), {}); }

}  // namespace rig
