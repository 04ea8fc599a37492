#pragma once

namespace vitals::testing {

// Returns a TCP port on 127.0.0.1 that was free a moment ago, picked at random outside the
// kernel's ephemeral range. The socket is closed before returning, so another server may take
// the port first; callers that start servers on it should be ready to retry with a fresh port.
int free_loopback_port();

}  // namespace vitals::testing
