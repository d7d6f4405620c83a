#include "core/db/endpoint.h"

#include <algorithm>
#include <charconv>

namespace rig {
namespace {

std::optional<uint16_t> parse_port(const std::string& text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::string Endpoint::to_string() const {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<Endpoint> parse_endpoint(const std::string& text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<Endpoint> {
    if (error) *error = "invalid host '" + text + "': " + why;
    return std::nullopt;
  };
  if (text.empty()) return fail("it is empty");
  Endpoint endpoint;
  std::string port_text;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos) return fail("missing ']' after the IPv6 address");
    endpoint.host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return fail("expected ':' after ']'");
      port_text = text.substr(close + 2);
      if (port_text.empty()) return fail("missing port after ':'");
    }
  } else if (std::count(text.begin(), text.end(), ':') > 1) {
    endpoint.host = text;  // a bare IPv6 address, default port
  } else if (auto colon = text.find(':'); colon != std::string::npos) {
    endpoint.host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (port_text.empty()) return fail("missing port after ':'");
  } else {
    endpoint.host = text;
  }
  if (endpoint.host.empty()) return fail("the host name is empty");
  if (!port_text.empty()) {
    auto port = parse_port(port_text);
    if (!port) return fail("port must be a number from 1 to 65535");
    endpoint.port = *port;
  }
  return endpoint;
}

}  // namespace rig
