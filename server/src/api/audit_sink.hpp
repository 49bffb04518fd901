#pragma once

// Where the dispatcher writes the generic audit entry of a state change that no module audited itself. The audit
// module implements it (modules/audit/audit.hpp, audit::RequestAuditSink) and the app wires it in, as modules/auth
// implements api::Authenticator: api/ never includes a module.

#include <boost/json/value.hpp>

#include <string>

#include "api/context.hpp"

namespace safeloop::api {

class AuditSink {
public:
    virtual ~AuditSink() = default;
    // Appends an entry for this request (tenant, actor, request id and time from `ctx`) on ctx's connection, inside
    // the caller's write transaction, and marks the request audited.
    virtual void Record(RequestContext& ctx, std::string action, std::string entity_type, std::string entity_id,
                        boost::json::value before, boost::json::value after) = 0;
};

}  // namespace safeloop::api
