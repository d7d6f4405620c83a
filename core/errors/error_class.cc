#include "core/errors/error_class.h"

namespace rig {
namespace {

struct Entry {
  uint32_t code;
  rig_error_kind kind;
  const char* description;
  bool permanent = false;  // never retried, whatever its kind
};

// Every code the rig treats specially. Codes not listed are permanent
// errors of kind OTHER.
constexpr Entry kErrors[] = {
    // Client library: the connection is gone or never came up.
    {2002, RIG_ERROR_KIND_CONNECTION, "can't connect (refused, or no socket)"},
    {2003, RIG_ERROR_KIND_CONNECTION, "can't connect to the server"},
    {2006, RIG_ERROR_KIND_CONNECTION, "server has gone away"},
    {2013, RIG_ERROR_KIND_CONNECTION, "lost connection during query"},
    {2055, RIG_ERROR_KIND_CONNECTION, "lost connection at the system level"},
    {RIG_ERROR_CIRCUIT_OPEN, RIG_ERROR_KIND_CONNECTION,
     "circuit breaker open: the server failed repeatedly, call not sent"},
    {RIG_ERROR_SERVER_GIVEN_UP, RIG_ERROR_KIND_CONNECTION,
     "server given up on: unreachable for longer than circuit_breaker.give_up_s", true},
    {RIG_ERROR_RUN_STOPPING, RIG_ERROR_KIND_OTHER, "the test is stopping: call not sent"},
    // Conflicts between transactions: retry the whole transaction.
    {1205, RIG_ERROR_KIND_CONFLICT, "lock wait timeout"},
    {1213, RIG_ERROR_KIND_CONFLICT, "deadlock"},
    {1020, RIG_ERROR_KIND_CONFLICT, "record changed since last read (snapshot isolation)"},
    {8002, RIG_ERROR_KIND_CONFLICT, "TiDB: SELECT FOR UPDATE write conflict"},
    {8005, RIG_ERROR_KIND_CONFLICT, "TiDB: write conflict, retry the transaction"},
    {8022, RIG_ERROR_KIND_CONFLICT, "TiDB: transaction rolled back, retry it whole"},
    {9007, RIG_ERROR_KIND_CONFLICT, "TiDB: write conflict"},
    // TiDB schema changes under a running transaction.
    {8027, RIG_ERROR_KIND_SCHEMA_CHANGED, "TiDB: schema out of date"},
    {8028, RIG_ERROR_KIND_SCHEMA_CHANGED, "TiDB: schema changed, retry"},
    // TiDB storage layer busy or unavailable.
    {9001, RIG_ERROR_KIND_SERVER_BUSY, "TiDB: PD server timeout"},
    {9002, RIG_ERROR_KIND_SERVER_BUSY, "TiDB: TiKV server timeout"},
    {9003, RIG_ERROR_KIND_SERVER_BUSY, "TiDB: TiKV server busy"},
    {9004, RIG_ERROR_KIND_SERVER_BUSY, "TiDB: resolve lock timeout"},
    {9005, RIG_ERROR_KIND_SERVER_BUSY, "TiDB: region unavailable"},
    // Permanent: fail fast.
    {1045, RIG_ERROR_KIND_AUTHENTICATION, "access denied: wrong user or password"},
    {1044, RIG_ERROR_KIND_AUTHENTICATION, "access denied to the database"},
    {1142, RIG_ERROR_KIND_AUTHENTICATION, "command denied on the table"},
    {1227, RIG_ERROR_KIND_AUTHENTICATION, "privilege required for the operation"},
    {1049, RIG_ERROR_KIND_UNKNOWN_DATABASE, "unknown database"},
    {1064, RIG_ERROR_KIND_SYNTAX, "SQL syntax error"},
    {1146, RIG_ERROR_KIND_OTHER, "table does not exist"},
    {1062, RIG_ERROR_KIND_CONSTRAINT, "duplicate key"},
    {1048, RIG_ERROR_KIND_CONSTRAINT, "column cannot be NULL"},
    {1451, RIG_ERROR_KIND_CONSTRAINT, "row is referenced by a foreign key"},
    {1452, RIG_ERROR_KIND_CONSTRAINT, "foreign key parent row missing"},
    {8048, RIG_ERROR_KIND_UNSUPPORTED, "TiDB: unsupported isolation level"},
    // Galera: the node is not in the primary component (partitioned away,
    // or still joining): reconnect, to another node where there is a host
    // list. Around COMMIT the outcome is unknown, as for a lost connection.
    {1047, RIG_ERROR_KIND_CONNECTION, "Galera: node not ready (not in the primary component)"},
    // Galera: "Got error 6 during COMMIT": the node lost the cluster while
    // its write set was in flight. The others may have applied it (a
    // partition test saw such a write read afterwards), so around COMMIT the
    // outcome is unknown; elsewhere, reconnect to a node that is whole.
    {1180, RIG_ERROR_KIND_CONNECTION, "Galera: error during COMMIT, outcome unknown"},
};

rig_retry_class retry_class(rig_error_kind kind, bool during_commit) {
  switch (kind) {
    case RIG_ERROR_KIND_NONE: return RIG_RETRY_NONE;
    case RIG_ERROR_KIND_CONNECTION:
      return during_commit ? RIG_RETRY_INDETERMINATE : RIG_RETRY_TRANSIENT;
    case RIG_ERROR_KIND_CONFLICT:
    case RIG_ERROR_KIND_SCHEMA_CHANGED:
    case RIG_ERROR_KIND_SERVER_BUSY: return RIG_RETRY_TRANSIENT;
    default: return RIG_RETRY_PERMANENT;
  }
}

}  // namespace

ErrorClass classify_error(uint32_t code, bool during_commit) {
  if (code == 0) return {};
  for (const Entry& entry : kErrors) {
    if (entry.code == code) {
      return {entry.kind,
              entry.permanent ? RIG_RETRY_PERMANENT : retry_class(entry.kind, during_commit),
              entry.description};
    }
  }
  return {RIG_ERROR_KIND_OTHER, RIG_RETRY_PERMANENT, "other error"};
}

const char* error_kind_name(rig_error_kind kind) {
  switch (kind) {
    case RIG_ERROR_KIND_NONE: return "none";
    case RIG_ERROR_KIND_CONNECTION: return "connection";
    case RIG_ERROR_KIND_CONFLICT: return "conflict";
    case RIG_ERROR_KIND_SCHEMA_CHANGED: return "schema-changed";
    case RIG_ERROR_KIND_SERVER_BUSY: return "server-busy";
    case RIG_ERROR_KIND_AUTHENTICATION: return "authentication";
    case RIG_ERROR_KIND_UNKNOWN_DATABASE: return "unknown-database";
    case RIG_ERROR_KIND_SYNTAX: return "syntax";
    case RIG_ERROR_KIND_CONSTRAINT: return "constraint";
    case RIG_ERROR_KIND_UNSUPPORTED: return "unsupported";
    default: return "other";
  }
}

const char* retry_class_name(rig_retry_class retry) {
  switch (retry) {
    case RIG_RETRY_NONE: return "none";
    case RIG_RETRY_TRANSIENT: return "transient";
    case RIG_RETRY_INDETERMINATE: return "indeterminate";
    default: return "permanent";
  }
}

}  // namespace rig
