// Binding a call's arguments to a compiled function's parameters, with CPython's rules and
// messages: keywords by name (never positional-only ones), then too many positional
// arguments, then missing ones, then defaults.
#pragma once

#include <Python.h>

#include <string>
#include <vector>

namespace nogil::python {

struct ParameterList {
  const char *function; ///< the function's qualified name, as CPython's messages give it
  const std::vector<std::string> &names;
  size_t positionalOnly; ///< the first this many names are positional-only
};

/// Puts the `positional` arguments and the keyword arguments (values after them in `args`,
/// names in `kwnames`) in parameter order in `bound` (one per name), filling in `defaults`
/// (the function's __defaults__, or null). False with CPython's TypeError set.
bool bindArguments(const ParameterList &parameters, PyObject *defaults, PyObject *const *args,
                   size_t positional, PyObject *kwnames, PyObject **bound);

} // namespace nogil::python
