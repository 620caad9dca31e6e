#include "python/argument_binding.h"

#include <algorithm>
#include <string_view>

namespace nogil::python {

namespace {

/// "'x'", "'x' and 'y'", "'x', 'y', and 'z'": CPython's list of missing names.
std::string listOfNames(const std::vector<std::string> &names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0)
      text += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
    text += "'" + names[i] + "'";
  }
  return text;
}

/// CPython's error for keywords naming positional-only parameters; false when none does
/// (then the keyword is merely unexpected).
bool raisePositionalOnlyKeywords(const ParameterList &parameters, PyObject *kwnames) {
  std::string passed;
  for (size_t i = 0; i < parameters.positionalOnly; ++i) {
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(kwnames); ++k) {
      const char *keyword = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, k));
      if (keyword && parameters.names[i] == keyword)
        passed += (passed.empty() ? "" : ", ") + parameters.names[i];
    }
  }
  PyErr_Clear();
  if (passed.empty())
    return false;
  PyErr_Format(PyExc_TypeError,
               "%s() got some positional-only arguments passed as keyword arguments: '%s'",
               parameters.function, passed.c_str());
  return true;
}

void raiseTooManyPositional(const ParameterList &parameters, size_t defaultCount, size_t given) {
  size_t expected = parameters.names.size();
  std::string takes = defaultCount ? "from " + std::to_string(expected - defaultCount) + " to " +
                                         std::to_string(expected)
                                   : std::to_string(expected);
  bool plural = defaultCount || expected != 1;
  PyErr_Format(PyExc_TypeError, "%s() takes %s positional argument%s but %zu %s given",
               parameters.function, takes.c_str(), plural ? "s" : "", given,
               given == 1 ? "was" : "were");
}

} // namespace

bool bindArguments(const ParameterList &parameters, PyObject *defaults, PyObject *const *args,
                   size_t positional, PyObject *kwnames, PyObject **bound) {
  const std::vector<std::string> &names = parameters.names;
  size_t expected = names.size();
  for (size_t i = 0; i < expected; ++i)
    bound[i] = i < positional ? args[i] : nullptr;
  Py_ssize_t keywords = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t k = 0; k < keywords; ++k) {
    const char *keyword = PyUnicode_AsUTF8(PyTuple_GET_ITEM(kwnames, k));
    if (!keyword)
      return false;
    size_t index = parameters.positionalOnly;
    while (index < expected && names[index] != keyword)
      ++index;
    if (index == expected) {
      if (!raisePositionalOnlyKeywords(parameters, kwnames))
        PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'",
                     parameters.function, keyword);
      return false;
    }
    if (bound[index]) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'",
                   parameters.function, keyword);
      return false;
    }
    bound[index] = args[positional + static_cast<size_t>(k)];
  }
  size_t defaultCount =
      std::min(expected, defaults ? static_cast<size_t>(PyTuple_GET_SIZE(defaults)) : 0);
  if (positional > expected) {
    raiseTooManyPositional(parameters, defaultCount, positional);
    return false;
  }
  size_t required = expected - defaultCount;
  std::vector<std::string> missing;
  for (size_t i = 0; i < required; ++i)
    if (!bound[i])
      missing.push_back(names[i]);
  if (!missing.empty()) {
    PyErr_Format(PyExc_TypeError, "%s() missing %zu required positional argument%s: %s",
                 parameters.function, missing.size(), missing.size() == 1 ? "" : "s",
                 listOfNames(missing).c_str());
    return false;
  }
  for (size_t i = required; i < expected; ++i)
    if (!bound[i])
      bound[i] = PyTuple_GET_ITEM(defaults, static_cast<Py_ssize_t>(i - required));
  return true;
}

} // namespace nogil::python
