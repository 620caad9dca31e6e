// Thread-locals read on every call from Python. The extension is a dlopen'ed library, where
// a plain thread_local costs a __tls_get_addr call per access (5-7% of a small call, measured
// with perf); the initial-exec model makes it one %fs-relative load. glibc keeps a little
// static TLS space for libraries loaded this way: only small variables may use it.
#pragma once

#define NOGIL_HOT_THREAD_LOCAL thread_local __attribute__((tls_model("initial-exec")))
