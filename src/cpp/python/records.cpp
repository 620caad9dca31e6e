#include "python/records.h"

#include "python/buffers.h"
#include "python/ndarray.h"
#include "python/numpy_scalars.h"

#include <cstring>
#include <map>
#include <string>
#include <unordered_map>

namespace nogil::python {

namespace {

constexpr int kNpyVoid = 20;

/// NumPy's PyVoidScalarObject, up to its flags: stable since NumPy 1.7, in NumPy 2 too.
struct VoidScalarFields {
  PyObject_VAR_HEAD char *obval;
  PyObject *descr;
  int flags;
};

/// Record types read so far, by dtype object (each held, so that its address is never
/// reused), and the dtype each writable Record type came from. Guarded by the GIL: arguments
/// are read and results boxed with it held.
struct RecordTables {
  std::unordered_map<PyObject *, const sema::Type *> byDescr;
  std::unordered_map<const sema::Type *, PyObject *> dtypes;
  std::map<const sema::Type *, std::string> rawFormats;
};

RecordTables &tables() {
  static auto *instance = new RecordTables(); // never destroyed: it outlives the interpreter
  return *instance;
}

/// The integer value of `object.name`, or -1 (nothing raised).
long longAttribute(PyObject *object, const char *name) {
  PyObject *value = PyObject_GetAttrString(object, name);
  long result = value ? PyLong_AsLong(value) : -1;
  Py_XDECREF(value);
  PyErr_Clear();
  return result;
}

bool hasFields(PyObject *descr) {
  PyObject *names = PyObject_GetAttrString(descr, "names");
  bool fields = names && PyTuple_Check(names) && PyTuple_GET_SIZE(names) > 0;
  Py_XDECREF(names);
  PyErr_Clear();
  return fields;
}

const sema::Type *readRecord(PyObject *descr);

/// A field's type: a number in the machine's byte order, or a nested record; null else.
const sema::Type *fieldScalarType(PyObject *descr) {
  auto *fields = reinterpret_cast<DescrFields *>(descr);
  if (fields->type_num == kNpyVoid)
    return hasFields(descr) ? readRecord(descr) : nullptr;
  if (fields->byteorder == '>')
    return nullptr;
  return elementOfTypeNumber(fields->type_num);
}

/// Reads one field, `(dtype, offset[, title])`, into `field`; false when compiled code does
/// not read its type.
bool readField(PyObject *info, sema::RecordField &field) {
  if (!PyTuple_Check(info) || PyTuple_GET_SIZE(info) < 2)
    return false;
  PyObject *descr = PyTuple_GET_ITEM(info, 0);
  long long offset = PyLong_AsLongLong(PyTuple_GET_ITEM(info, 1));
  if (offset < 0) {
    PyErr_Clear();
    return false;
  }
  field.offset = static_cast<uint64_t>(offset);
  PyObject *sub = PyObject_GetAttrString(descr, "subdtype");
  if (!sub) {
    PyErr_Clear();
    return false;
  }
  bool ok = true;
  if (sub != Py_None) { // a sub-array field: (base, shape)
    PyObject *base =
        PyTuple_Check(sub) && PyTuple_GET_SIZE(sub) == 2 ? PyTuple_GET_ITEM(sub, 0) : nullptr;
    PyObject *shape = base ? PyTuple_GET_ITEM(sub, 1) : nullptr;
    ok = shape && PyTuple_Check(shape) && PyTuple_GET_SIZE(shape) > 0;
    for (Py_ssize_t d = 0; ok && d < PyTuple_GET_SIZE(shape); ++d) {
      long long extent = PyLong_AsLongLong(PyTuple_GET_ITEM(shape, d));
      ok = extent >= 0;
      field.shape.push_back(static_cast<uint64_t>(extent));
    }
    PyErr_Clear();
    // Sub-arrays of numbers only: an array of records has no element type here.
    ok = ok && (field.type = fieldScalarType(base)) && !field.type->isRecord();
  } else {
    ok = (field.type = fieldScalarType(descr)) != nullptr;
  }
  Py_DECREF(sub);
  return ok;
}

/// The writable Record type of a dtype with fields (cached), or null.
const sema::Type *readRecord(PyObject *descr) {
  RecordTables &state = tables();
  if (auto known = state.byDescr.find(descr); known != state.byDescr.end())
    return known->second;
  PyObject *names = PyObject_GetAttrString(descr, "names");
  PyObject *fields = PyObject_GetAttrString(descr, "fields");
  const sema::Type *record = nullptr;
  if (names && fields && PyTuple_Check(names) && PyMapping_Check(fields)) { // a mappingproxy
    std::vector<sema::RecordField> read;
    bool ok = true;
    for (Py_ssize_t i = 0; ok && i < PyTuple_GET_SIZE(names); ++i) {
      PyObject *name = PyTuple_GET_ITEM(names, i);
      PyObject *info = PyObject_GetItem(fields, name);
      const char *text = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : nullptr;
      sema::RecordField field{text ? text : "", nullptr, 0, {}};
      ok = text && info && readField(info, field);
      Py_XDECREF(info);
      read.push_back(std::move(field));
    }
    long itemsize = longAttribute(descr, "itemsize");
    PyObject *aligned = PyObject_GetAttrString(descr, "isalignedstruct");
    if (ok && itemsize > 0 && aligned)
      record = sema::recordType(read, static_cast<uint64_t>(itemsize), aligned == Py_True, false);
    Py_XDECREF(aligned);
  }
  Py_XDECREF(names);
  Py_XDECREF(fields);
  PyErr_Clear();
  state.byDescr.emplace(Py_NewRef(descr), record);
  if (record && !state.dtypes.count(record))
    state.dtypes.emplace(record, Py_NewRef(descr));
  return record;
}

void raiseUnreadFields(PyObject *descr, const char *function, const char *parameter,
                       const char *what) {
  PyObject *text = PyObject_Str(descr);
  const char *utf8 = text ? PyUnicode_AsUTF8(text) : nullptr;
  PyErr_Clear();
  PyErr_Format(PyExc_TypeError,
               "%s() argument '%s' is a %s of dtype %s; compiled code reads structured dtypes "
               "whose fields are bool, int8 to int64, uint8 to uint64, float32, float64, "
               "complex128 (in the machine's byte order), sub-arrays of those, or nested "
               "structured dtypes",
               function, parameter, what, utf8 ? utf8 : "?");
  Py_XDECREF(text);
}

} // namespace

bool isRecordArray(PyObject *value) {
  if (ndarrayClassOf(value) != NdarrayClass::Plain)
    return false;
  auto *descr = reinterpret_cast<DescrFields *>(reinterpret_cast<NdarrayFields *>(value)->descr);
  return descr->type_num == kNpyVoid && hasFields(reinterpret_cast<PyObject *>(descr));
}

bool isRecordScalar(PyObject *value) {
  if (!isNumpyScalar(value) || std::strcmp(Py_TYPE(value)->tp_name, "numpy.void") != 0)
    return false;
  return hasFields(reinterpret_cast<VoidScalarFields *>(value)->descr);
}

const sema::Type *recordTypeOfDescr(PyObject *descr, bool readonly) {
  if (reinterpret_cast<DescrFields *>(descr)->type_num != kNpyVoid)
    return nullptr;
  const sema::Type *record = readRecord(descr);
  return record ? sema::recordWithAccess(record, readonly) : nullptr;
}

bool unboxRecordArray(PyObject *value, const sema::Type *&type, SlotBuffer &slots,
                      const char *function, const char *parameter) {
  auto *array = reinterpret_cast<NdarrayFields *>(value);
  const sema::Type *record = recordTypeOfDescr(array->descr, false);
  if (!record || array->nd < 0 || array->nd > 64) {
    raiseUnreadFields(array->descr, function, parameter, "numpy.ndarray");
    return false;
  }
  bool readonly = (array->flags & kNpyWriteable) == 0;
  auto itemsize = static_cast<Py_ssize_t>(record->itemsize());
  type = sema::arrayType(sema::recordWithAccess(record, readonly), static_cast<unsigned>(array->nd),
                         layoutOf(array, itemsize), readonly);
  pushNdarray(value, slots);
  return true;
}

bool unboxRecordScalar(PyObject *value, const sema::Type *&type, SlotBuffer &slots,
                       const char *function, const char *parameter) {
  auto *scalar = reinterpret_cast<VoidScalarFields *>(value);
  const sema::Type *record = recordTypeOfDescr(scalar->descr, (scalar->flags & kNpyWriteable) == 0);
  if (!record) {
    raiseUnreadFields(scalar->descr, function, parameter, "numpy.void");
    return false;
  }
  type = record;
  slots.push(reinterpret_cast<uint64_t>(scalar->obval));
  return true;
}

PyObject *dtypeOfRecord(const sema::Type *record) {
  auto &dtypes = tables().dtypes;
  auto found = dtypes.find(sema::recordWithAccess(record, false));
  return found == dtypes.end() ? nullptr : found->second;
}

PyObject *boxRecord(const sema::Type *record, const void *data) {
  PyObject *dtype = dtypeOfRecord(record);
  if (!dtype) {
    PyErr_Format(PyExc_TypeError, "cannot return a %s: its dtype is unknown", record->name());
    return nullptr;
  }
  PyObject *numpy = PyImport_ImportModule("numpy");
  PyObject *array = numpy ? PyObject_CallMethod(numpy, "empty", "(iO)", 1, dtype) : nullptr;
  Py_XDECREF(numpy);
  if (!array)
    return nullptr;
  std::memcpy(reinterpret_cast<NdarrayFields *>(array)->data, data, record->itemsize());
  PyObject *item = PySequence_GetItem(array, 0);
  Py_DECREF(array);
  return item;
}

const char *rawRecordFormat(const sema::Type *record) {
  auto &formats = tables().rawFormats;
  auto &format = formats[sema::recordWithAccess(record, false)];
  if (format.empty())
    format = std::to_string(record->itemsize()) + "s";
  return format.c_str();
}

PyObject *viewAsRecords(PyObject *raw, const sema::Type *record) {
  PyObject *dtype = dtypeOfRecord(record);
  if (!raw || !dtype) {
    if (raw)
      PyErr_Format(PyExc_TypeError, "cannot return an array of %s: its dtype is unknown",
                   record->name());
    Py_XDECREF(raw);
    return nullptr;
  }
  PyObject *view = PyObject_CallMethod(raw, "view", "(O)", dtype);
  Py_DECREF(raw);
  return view;
}

} // namespace nogil::python
