// Typing of the array methods that give a view or a copy of an array (reshape, ravel,
// transpose, ...) and of the array attributes that describe its memory (itemsize, strides,
// flags). Axes are read when compiling, since they decide the result's dimensions; extents
// and values at run time (codegen/lower_views.cpp).
#include "sema/typer_impl.h"

#include <algorithm>
#include <numeric>

namespace nogil::sema {

using namespace ast;

namespace {

struct MethodName {
  const char *name;
  ArrayMethod method;
  bool function; ///< also a NumPy function taking the array first (np.reshape(a, shape))
  bool method_;  ///< also a method of arrays
};

constexpr MethodName kMethods[] = {
    {"reshape", ArrayMethod::Reshape, true, true},
    {"ravel", ArrayMethod::Ravel, true, true},
    {"flatten", ArrayMethod::Flatten, false, true},
    {"transpose", ArrayMethod::Transpose, true, true},
    {"swapaxes", ArrayMethod::SwapAxes, true, true},
    {"squeeze", ArrayMethod::Squeeze, true, true},
    {"expand_dims", ArrayMethod::ExpandDims, true, false},
    {"fill", ArrayMethod::Fill, false, true},
    {"item", ArrayMethod::Item, false, true},
    {"astype", ArrayMethod::AsType, false, true},
    {"view", ArrayMethod::View, false, true},
    // np.lib.stride_tricks.as_strided's primitive (src/nogil/lib/stride_tricks.py): a view
    // of the same data with the shape and byte strides given, unchecked as NumPy's.
    {"__nogil_strided_view__", ArrayMethod::StridedView, false, true},
    {"__nogil_readonly_strided_view__", ArrayMethod::StridedView, false, true},
    // The address of the first element, as an int: the library's test of whether two
    // arrays' memory can overlap (src/nogil/lib/_overlap.py), NumPy's copy-if-overlap rule.
    {"__nogil_data_address__", ArrayMethod::DataAddress, false, true},
};

/// The layout of `source`'s dimensions taken in the order `permutation`.
Layout permutedLayout(const Type *source, const std::vector<unsigned> &permutation) {
  bool identity = true;
  bool reversed = true;
  auto ndim = static_cast<unsigned>(permutation.size());
  for (unsigned d = 0; d < ndim; ++d) {
    identity &= permutation[d] == d;
    reversed &= permutation[d] == ndim - 1 - d;
  }
  if (identity || ndim <= 1)
    return source->layout();
  if (reversed && source->layout() != Layout::Any)
    return source->layout() == Layout::C ? Layout::F : Layout::C;
  return Layout::Any;
}

std::vector<unsigned> reversedAxes(unsigned ndim) {
  std::vector<unsigned> axes;
  for (unsigned d = ndim; d-- > 0;)
    axes.push_back(d);
  return axes;
}

} // namespace

const Type *transposedType(const Type *array) {
  return arrayType(array->dtype(), array->ndim(),
                   permutedLayout(array, reversedAxes(array->ndim())), array->readonly());
}

namespace {

/// The Python scalar type item() gives for an element type.
const Type *pythonScalar(const Type *dtype) {
  if (dtype->kind() == TypeKind::Bool || dtype->isComplex())
    return dtype;
  return dtype->isFloat() ? float64Type() : int64Type();
}

} // namespace

bool FunctionTyper::methodOrder(ArrayMethod method, const Type *source, const Expr *value,
                                Span span, char &order) {
  // NumPy's letters: 'C' and 'F' everywhere; 'A' (F order for an F-contiguous array) and
  // 'K' (memory order) for ravel, flatten and astype, not reshape.
  std::string name = std::string(kMethods[int(method)].name) + "()";
  const Type *text = typeExpr(value);
  if (text->isUnknown())
    return false;
  if (!text->isStringLiteral()) {
    report(DiagKind::InvalidOrder, span,
           {name + ": order must be a str constant, not " + std::string(text->name())});
    return false;
  }
  std::string letter = text->literal();
  if (letter.size() == 1 && std::string_view("cfak").find(letter[0]) != std::string::npos)
    letter[0] = static_cast<char>(letter[0] - 'a' + 'A');
  if (letter != "C" && letter != "F" && letter != "A" && letter != "K") {
    report(DiagKind::InvalidOrder, span,
           {name + ": order must be one of 'C', 'F', 'A', or 'K' (got '" + letter + "')"});
    return false;
  }
  if (method == ArrayMethod::Reshape && letter == "K") {
    report(DiagKind::InvalidOrder, span, {"order 'K' is not permitted for reshaping"});
    return false;
  }
  if (method != ArrayMethod::Reshape && method != ArrayMethod::Ravel &&
      method != ArrayMethod::Flatten && method != ArrayMethod::AsType && letter != "C") {
    report(DiagKind::UnsupportedConstruct, span, {"order='" + letter + "' in " + name + " is"});
    return false;
  }
  // A and K follow the layout: the type must know it, unless a copy's strides may be chosen
  // at run time (astype).
  if ((letter == "A" || letter == "K") && method != ArrayMethod::AsType && source->ndim() > 1 &&
      source->layout() == Layout::Any) {
    report(DiagKind::UnsupportedConstruct, span,
           {"order='" + letter + "' in " + name + " of " + std::string(source->name()) +
            " (its layout is known only at run time) is"});
    return false;
  }
  order = letter[0];
  return true;
}

std::optional<ArrayMethod> FunctionTyper::arrayMethodNamed(const std::string &name,
                                                           bool asFunction) {
  for (const MethodName &entry : kMethods)
    if (name == entry.name && (asFunction ? entry.function : entry.method_))
      return entry.method;
  return std::nullopt;
}

bool FunctionTyper::constantAxes(const Expr *expr, unsigned ndim, std::vector<unsigned> &axes,
                                 const char *what) {
  std::vector<const Expr *> items{expr};
  if (auto *tuple = dynCast<TupleExpr>(expr))
    items.assign(tuple->elements.begin(), tuple->elements.end());
  for (const Expr *item : items) {
    typeExpr(item);
    std::optional<int64_t> axis = constantInt(item);
    if (!axis) {
      report(DiagKind::ArrayAxisArgument, item->span, {what});
      return false;
    }
    int64_t normalised = *axis < 0 ? *axis + ndim : *axis;
    if (normalised < 0 || normalised >= static_cast<int64_t>(ndim)) {
      report(DiagKind::ArrayAxisRange, item->span, {std::to_string(*axis), std::to_string(ndim)});
      return false;
    }
    axes.push_back(static_cast<unsigned>(normalised));
  }
  if (isa<TupleExpr>(expr))
    record(expr, noneType());
  return true;
}

const Type *FunctionTyper::typeArrayMethod(const CallExpr *call, ArrayMethod method,
                                           const Expr *array, bool asFunction) {
  const Type *source = typeValue(array);
  if (source->isUnknown())
    return record(call, unknownType());
  if (!source->isArray()) {
    report(DiagKind::BuiltinArgumentType, call->span,
           {"numpy." + std::string(cast<AttributeExpr>(call->callee)->attr), source->name()});
    return record(call, unknownType());
  }
  std::vector<const Expr *> args(call->args.begin() + (asFunction ? 1 : 0), call->args.end());
  // NumPy's order letter: 'C' for reshape and ravel, 'K' for astype (flatten's 'C' too)
  char order = method == ArrayMethod::AsType ? 'K' : 'C';
  bool orderByPosition = ((method == ArrayMethod::Ravel || method == ArrayMethod::Flatten) &&
                          args.size() == 1) || // a.ravel('F')
                         (method == ArrayMethod::Reshape && asFunction && args.size() == 2);
  if (orderByPosition) { // np.reshape(a, shape, 'F')
    if (!methodOrder(method, source, args.back(), args.back()->span, order))
      return record(call, unknownType());
    args.pop_back();
  }
  // Keywords NumPy spells for these, as positional arguments after the array's.
  for (size_t k = 0; k < call->keywordNames.size(); ++k) {
    const std::string &keyword = call->keywordNames[k];
    bool taken = (keyword == "axis" || keyword == "axes") &&
                 (method == ArrayMethod::Squeeze || method == ArrayMethod::ExpandDims ||
                  method == ArrayMethod::Transpose);
    taken |= keyword == "dtype" && (method == ArrayMethod::AsType || method == ArrayMethod::View);
    taken |= keyword == "shape" && method == ArrayMethod::Reshape && asFunction;
    if (keyword == "order") {
      if (!methodOrder(method, source, call->keywordValues[k], call->keywordSpans[k], order))
        return record(call, unknownType());
      continue;
    }
    if (!taken) {
      report(DiagKind::UnsupportedConstruct, call->keywordSpans[k],
             {"keyword argument '" + keyword + "' of " + kMethods[int(method)].name + "() is"});
      return record(call, unknownType());
    }
    args.push_back(call->keywordValues[k]);
  }
  ArrayMethodCall info{method, array, {}, {}, false};
  // 'F' of reshape, ravel and flatten is their C order on the reversed axes (a.T): the
  // typing below sees the transposed source, and the lowering transposes back.
  if (order == 'A' || order == 'K')
    order = method == ArrayMethod::AsType ? order : source->layout() == Layout::F ? 'F' : 'C';
  if (order == 'F' && method != ArrayMethod::AsType &&
      (source->ndim() > 1 || method == ArrayMethod::Reshape)) {
    info.fortran = true;
    source = transposedType(source);
  }
  unsigned ndim = source->ndim();
  const char *name = kMethods[int(method)].name;
  auto arity = [&](size_t low, size_t high) {
    if (args.size() >= low && args.size() <= high)
      return true;
    report(DiagKind::UnsupportedConstruct, call->span,
           {std::string(name) + "() with " + std::to_string(args.size()) + " arguments is"});
    return false;
  };
  const Type *result = nullptr;
  switch (method) {
  case ArrayMethod::Reshape: {
    if (!arity(1, 64))
      return record(call, unknownType());
    unsigned newNdim = static_cast<unsigned>(args.size());
    for (const Expr *arg : args) {
      const Type *type = typeValue(arg);
      if (type->isUnknown())
        return record(call, unknownType());
      bool valid = type->isIntegral() && type->kind() != TypeKind::Bool;
      if (type->isTuple() && args.size() == 1) {
        valid = true;
        for (const Type *extent : type->elements())
          valid &= extent->isIntegral() && extent->kind() != TypeKind::Bool;
        newNdim = static_cast<unsigned>(type->elements().size());
      }
      if (!valid) {
        report(DiagKind::ArrayShape, arg->span, {type->name()});
        return record(call, unknownType());
      }
    }
    info.operands = args;
    // A C-contiguous array reshapes into a view that is C-contiguous; others give a view
    // where their strides allow it and a C-contiguous copy otherwise, known at run time.
    result = arrayType(source->dtype(), newNdim,
                       source->layout() == Layout::C ? Layout::C : Layout::Any, source->readonly());
    if (info.fortran)
      result = transposedType(result);
    break;
  }
  case ArrayMethod::Ravel:
  case ArrayMethod::Flatten:
    if (!arity(0, 0))
      return record(call, unknownType());
    result = arrayType(source->dtype(), 1, Layout::C,
                       method == ArrayMethod::Ravel && source->readonly());
    break;
  case ArrayMethod::Transpose: {
    std::vector<unsigned> axes;
    if (args.empty()) {
      for (unsigned d = ndim; d-- > 0;)
        axes.push_back(d);
    } else if (args.size() == 1 && isa<NoneLiteralExpr>(args[0])) {
      record(args[0], noneType());
      for (unsigned d = ndim; d-- > 0;)
        axes.push_back(d);
    } else {
      for (const Expr *arg : args)
        if (!constantAxes(arg, ndim, axes, "transpose()"))
          return record(call, unknownType());
      std::vector<unsigned> sorted = axes;
      std::sort(sorted.begin(), sorted.end());
      if (axes.size() != ndim) {
        report(DiagKind::ArrayAxesPermutation, call->span, {"axes don't match array"});
        return record(call, unknownType());
      }
      if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
        report(DiagKind::ArrayAxesPermutation, call->span, {"repeated axis in transpose"});
        return record(call, unknownType());
      }
    }
    info.axes = axes;
    result = arrayType(source->dtype(), ndim, permutedLayout(source, axes), source->readonly());
    break;
  }
  case ArrayMethod::SwapAxes: {
    if (!arity(2, 2))
      return record(call, unknownType());
    std::vector<unsigned> pair;
    if (!constantAxes(args[0], ndim, pair, "swapaxes()") ||
        !constantAxes(args[1], ndim, pair, "swapaxes()") || pair.size() != 2) {
      if (pair.size() > 2)
        report(DiagKind::ArrayAxisArgument, call->span, {"swapaxes()"});
      return record(call, unknownType());
    }
    info.axes.resize(ndim);
    std::iota(info.axes.begin(), info.axes.end(), 0u);
    std::swap(info.axes[pair[0]], info.axes[pair[1]]);
    result =
        arrayType(source->dtype(), ndim, permutedLayout(source, info.axes), source->readonly());
    break;
  }
  case ArrayMethod::Squeeze:
  case ArrayMethod::ExpandDims: {
    bool expand = method == ArrayMethod::ExpandDims;
    if (!arity(expand ? 1 : 0, 1))
      return record(call, unknownType());
    if (args.empty() || isa<NoneLiteralExpr>(args[0])) {
      if (expand || ndim > 0) { // which axes go depends on the shape, known only at run time
        report(DiagKind::ArrayAxisArgument, call->span, {expand ? "expand_dims()" : "squeeze()"});
        return record(call, unknownType());
      }
      if (!args.empty())
        record(args[0], noneType());
    } else {
      // expand_dims counts its axes in the result, which has one dimension more per axis.
      auto *tuple = dynCast<TupleExpr>(args[0]);
      unsigned added = tuple ? static_cast<unsigned>(tuple->elements.size()) : 1;
      if (!constantAxes(args[0], expand ? ndim + added : ndim, info.axes,
                        expand ? "expand_dims()" : "squeeze()"))
        return record(call, unknownType());
    }
    std::vector<unsigned> sorted = info.axes;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
      report(DiagKind::ArrayAxesPermutation, call->span, {"repeated axis"});
      return record(call, unknownType());
    }
    info.axes = sorted;
    unsigned resultNdim = expand ? ndim + static_cast<unsigned>(sorted.size())
                                 : ndim - static_cast<unsigned>(sorted.size());
    // Axes of length one carry no stride that matters: contiguity stays.
    result = arrayType(source->dtype(), resultNdim, source->layout(), source->readonly());
    break;
  }
  case ArrayMethod::Fill: {
    if (!arity(1, 1))
      return record(call, unknownType());
    const Type *value = typeValue(args[0]);
    if (value->isUnknown())
      return record(call, unknownType());
    if ((!value->isNumeric() && !value->isComplex()) ||
        (value->isComplex() && !source->dtype()->isComplex())) {
      report(DiagKind::ArrayStoreValue, args[0]->span, {value->name(), source->name()});
      return record(call, unknownType());
    }
    if (source->readonly()) {
      report(DiagKind::ReadonlyStore, call->span, {sourceText(array->span)});
      return record(call, unknownType());
    }
    info.operands = args;
    result = noneType();
    break;
  }
  case ArrayMethod::Item: {
    if (args.size() == 1 && isa<TupleExpr>(args[0]))
      args.assign(cast<TupleExpr>(args[0])->elements.begin(),
                  cast<TupleExpr>(args[0])->elements.end());
    if (args.size() > 1 && args.size() != ndim) {
      report(DiagKind::ArrayIndexCount, call->span, {source->name(), std::to_string(args.size())});
      return record(call, unknownType());
    }
    for (const Expr *arg : args) {
      const Type *type = typeValue(arg);
      if (type->isUnknown())
        return record(call, unknownType());
      if (!type->isInteger()) {
        report(DiagKind::ArrayIndexType, arg->span, {type->name()});
        return record(call, unknownType());
      }
    }
    info.operands = args;
    result = pythonScalar(source->dtype());
    break;
  }
  case ArrayMethod::StridedView: {
    if (!arity(2, 2))
      return record(call, unknownType());
    const Type *shape = typeValue(args[0]);
    const Type *strides = typeValue(args[1]);
    if (shape->isUnknown() || strides->isUnknown())
      return record(call, unknownType());
    auto integers = [](const Type *tuple) {
      if (!tuple->isTuple())
        return false;
      for (const Type *element : tuple->elements())
        if (!element->isInteger())
          return false;
      return true;
    };
    if (!integers(shape) || !integers(strides) ||
        shape->elements().size() != strides->elements().size()) {
      report(DiagKind::ArrayShape, call->span,
             {std::string(shape->name()) + " and " + strides->name()});
      return record(call, unknownType());
    }
    info.operands = args;
    bool readonly = source->readonly() ||
                    cast<AttributeExpr>(call->callee)->attr == "__nogil_readonly_strided_view__";
    result = arrayType(source->dtype(), static_cast<unsigned>(shape->elements().size()),
                       Layout::Any, readonly);
    break;
  }
  case ArrayMethod::DataAddress:
    if (!arity(0, 0))
      return record(call, unknownType());
    result = int64Type();
    break;
  case ArrayMethod::AsType:
  case ArrayMethod::View: {
    if (!arity(1, 1))
      return record(call, unknownType());
    const Type *dtype = dtypeArgument(args[0]);
    if (!dtype)
      return record(call, unknownType());
    if (method == ArrayMethod::AsType) {
      result = arrayType(dtype, ndim, allocationLayout(order, source, ndim), false);
      if (result->layout() != Layout::C)
        out_->allocationOrders[call->id] = order;
      break;
    }
    bool sameSize = elementBytes(dtype) == elementBytes(source->dtype());
    Layout layout = sameSize || source->layout() == Layout::C ? source->layout() : Layout::Any;
    result = arrayType(dtype, ndim, layout, source->readonly());
    break;
  }
  }
  out_->arrayMethods[call->id] = std::move(info);
  return record(call, result);
}

uint64_t elementBytes(const Type *dtype) {
  return dtype->kind() == TypeKind::Bool ? 1 : dtype->bitWidth() / 8;
}

const Type *FunctionTyper::typeMemoryAttribute(const AttributeExpr *attribute, const Type *owner) {
  const std::string &name = attribute->attr;
  if (name == "itemsize" || name == "nbytes")
    return record(attribute, int64Type());
  if (name == "flat") // the elements in C order: a view when C-contiguous, else a copy
    return record(attribute, arrayType(owner->dtype(), 1, Layout::C,
                                       owner->readonly() || owner->layout() != Layout::C));
  if (name == "strides")
    return record(attribute, tupleType(std::vector<const Type *>(owner->ndim(), int64Type())));
  if ((name == "real" || name == "imag") && owner->dtype()->isComplex())
    // A view of the parts: the complex array's strides over its float elements.
    return record(attribute,
                  arrayType(complexPartType(owner->dtype()), owner->ndim(),
                            owner->ndim() == 0 ? Layout::C : Layout::Any, owner->readonly()));
  if (name == "real" && !owner->dtype()->isComplex())
    return record(attribute, owner);
  if (name == "imag" && !owner->dtype()->isComplex()) // zeros NumPy will not let you write
    return record(attribute, arrayType(owner->dtype(), owner->ndim(), Layout::C, true));
  return nullptr;
}

const Type *FunctionTyper::typeFlag(const AttributeExpr *attribute) {
  auto *flags = dynCast<AttributeExpr>(attribute->value);
  if (!flags || flags->attr != "flags" || moduleOf(flags->value))
    return nullptr;
  const Type *owner = typeExpr(flags->value);
  if (!owner->isArray())
    return nullptr;
  record(flags, noneType());
  const std::string &name = attribute->attr;
  if (name == "c_contiguous" || name == "f_contiguous" || name == "contiguous" ||
      name == "writeable")
    return record(attribute, boolType());
  report(DiagKind::UnknownArrayAttribute, attribute->span, {"flags." + name});
  return record(attribute, unknownType());
}

} // namespace nogil::sema
