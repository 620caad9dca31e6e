// The runtime's print hook: text from compiled print() calls, written to sys.stdout.
#pragma once

namespace nogil::python {

/// Installs the hook; called once when the extension module loads.
void installPrintHook();

} // namespace nogil::python
