#include "core/run/result.h"

#include <nlohmann/json.hpp>

namespace rig {

void to_json(nlohmann::json& json, const TestResult& result) {
  nlohmann::json records = nlohmann::json::object();
  for (const auto& [key, value] : result.records) records[key] = value;
  json = {{"name", result.name()},
          {"plugin", result.plugin},
          {"test", result.test},
          {"status", status_name(result.status)},
          {"duration_s", result.duration_s},
          {"message", result.message},
          {"states", result.states},
          {"retries", result.retries},
          {"reconnects", result.reconnects},
          {"errors", result.errors},
          {"breaker_events", result.breaker_events},
          {"records", records}};
  if (!result.cases.empty()) {
    json["cases"] = nlohmann::json::array();
    for (const auto& c : result.cases) {
      json["cases"].push_back({{"name", c.name},
                               {"status", status_name(c.status)},
                               {"message", c.message},
                               {"duration_s", c.duration_s}});
    }
  }
  if (result.details.is_object() && !result.details.empty()) json["details"] = result.details;
  if (!result.summary_text.empty()) json["summary_text"] = result.summary_text;
  if (!result.error_context.is_null()) json["error_context"] = result.error_context;
  if (!result.backtrace.empty()) json["backtrace"] = result.backtrace;
  if (result.server) {
    json["server"] = {{"flavor", result.server->flavor},
                      {"version", result.server->version},
                      {"raw_version", result.server->raw_version}};
  }
}

void from_json(const nlohmann::json& json, TestResult& result) {
  result.plugin = json.at("plugin").get<std::string>();
  result.test = json.at("test").get<std::string>();
  result.status = parse_status(json.at("status").get<std::string>()).value_or(TestStatus::kError);
  result.duration_s = json.at("duration_s").get<double>();
  result.message = json.at("message").get<std::string>();
  result.states = json.at("states").get<std::vector<std::string>>();
  result.records.clear();
  for (const auto& [key, value] : json.at("records").items()) {
    result.records.emplace_back(key, value.get<std::string>());
  }
  result.cases.clear();
  for (const auto& c : json.value("cases", nlohmann::json::array())) {
    result.cases.push_back(
        {c.at("name").get<std::string>(),
         parse_status(c.at("status").get<std::string>()).value_or(TestStatus::kError),
         c.at("message").get<std::string>(), c.at("duration_s").get<double>()});
  }
  result.details = json.value("details", nlohmann::json::object());
  result.summary_text = json.value("summary_text", "");
  result.retries = json.value("retries", int64_t{0});
  result.reconnects = json.value("reconnects", int64_t{0});
  result.errors = json.value("errors", nlohmann::json::array());
  result.breaker_events = json.value("breaker_events", nlohmann::json::array());
  result.error_context = json.value("error_context", nlohmann::json());
  result.backtrace = json.value("backtrace", "");
  if (json.contains("server")) {
    const auto& server = json["server"];
    result.server = ServerSummary{server.at("flavor").get<std::string>(),
                                  server.at("version").get<std::string>(),
                                  server.at("raw_version").get<std::string>()};
  }
}

}  // namespace rig
