// Records (elements of NumPy's structured dtypes): `r['f']`, `r.f`, `r[0]`, their stores, and
// `a['f']`, the view of one field of an array of records. Field names are constants, as in
// Numba: each subscript or attribute resolves to its field when compiling.
#include "sema/typer_impl.h"

namespace nogil::sema {

using namespace ast;

namespace {

/// "('f', 'g')": a record's field names, as a message lists them.
std::string fieldNames(const Type *record) {
  std::string text = "(";
  for (size_t i = 0; i < record->fields().size(); ++i)
    text += (i ? ", '" : "'") + record->fields()[i].name + "'";
  return text + (record->fields().size() == 1 ? ",)" : ")");
}

} // namespace

bool FunctionTyper::namesField(const Expr *index) { return isa<StringLiteralExpr>(index); }

const RecordField *FunctionTyper::recordField(const Expr *index, const Type *owner) {
  const auto &fields = owner->fields();
  if (auto *name = dynCast<StringLiteralExpr>(index)) {
    record(index, noneType());
    if (const RecordField *field = owner->field(name->value))
      return field;
    report(DiagKind::UnknownRecordField, index->span, {"'" + name->value + "'", fieldNames(owner)});
    return nullptr;
  }
  if (auto position = constantInt(index)) {
    typeValue(index);
    auto count = static_cast<int64_t>(fields.size());
    int64_t at = *position < 0 ? *position + count : *position;
    if (at >= 0 && at < count)
      return &fields[static_cast<size_t>(at)];
    report(DiagKind::UnknownRecordField, index->span,
           {"at index " + std::to_string(*position), fieldNames(owner)});
    return nullptr;
  }
  const Type *type = typeValue(index);
  if (!type->isUnknown())
    report(DiagKind::RecordFieldName, index->span, {"'" + sourceText(index->span) + "'"});
  return nullptr;
}

const Type *FunctionTyper::fieldType(const RecordField &field, const Type *owner) {
  if (!field.shape.empty())
    return arrayType(field.type, static_cast<unsigned>(field.shape.size()), Layout::C,
                     owner->readonly());
  if (field.type->isRecord())
    return recordWithAccess(field.type, owner->readonly());
  return field.type;
}

const Type *FunctionTyper::typeRecordSubscript(const SubscriptExpr *subscript, const Type *owner) {
  const RecordField *field = recordField(subscript->index, owner);
  if (!field)
    return record(subscript, unknownType());
  out_->recordFields[subscript->id] = field;
  return record(subscript, fieldType(*field, owner));
}

const Type *FunctionTyper::typeRecordAttribute(const AttributeExpr *attribute, const Type *owner) {
  const RecordField *field = owner->field(attribute->attr);
  if (!field) {
    report(DiagKind::UnknownRecordField, attribute->span,
           {"'" + attribute->attr + "'", fieldNames(owner)});
    return record(attribute, unknownType());
  }
  out_->recordFields[attribute->id] = field;
  return record(attribute, fieldType(*field, owner));
}

const Type *FunctionTyper::typeFieldView(const SubscriptExpr *subscript, const Type *array) {
  const Type *element = array->dtype();
  const RecordField *field = recordField(subscript->index, element);
  if (!field)
    return record(subscript, unknownType());
  out_->recordFields[subscript->id] = field;
  const Type *dtype =
      field->type->isRecord() ? recordWithAccess(field->type, array->readonly()) : field->type;
  auto ndim = static_cast<unsigned>(array->ndim() + field->shape.size());
  return record(subscript, arrayType(dtype, ndim, Layout::Any, array->readonly()));
}

const Expr *FunctionTyper::recordOperand(const CallExpr *call) {
  std::vector<const Expr *> operands(call->args.begin(), call->args.end());
  operands.insert(operands.end(), call->keywordValues.begin(), call->keywordValues.end());
  if (auto *method = dynCast<AttributeExpr>(call->callee);
      method && !moduleOf(method->value) && !globalOf(method))
    operands.insert(operands.begin(), method->value);
  if (const Type *callee = out_->exprTypes[call->callee->id]; callee && callee->isFunctionValue())
    return nullptr;
  const GlobalValue *global = globalOf(call->callee);
  if (global && (global->kind == GlobalValue::Kind::Function ||
                 (global->kind == GlobalValue::Kind::Builtin && global->builtin == Builtin::Len)))
    return nullptr;
  for (const Expr *operand : operands) {
    const Type *type = out_->exprTypes[operand->id]; // null where the call did not type it
    if (type && (type->isRecord() || (type->isArray() && type->dtype()->isRecord())))
      return operand;
  }
  return nullptr;
}

void FunctionTyper::typeFieldStore(const Expr *target, const Type *value) {
  const Type *field = typeExpr(target);
  const Expr *owner = isa<SubscriptExpr>(target) ? cast<SubscriptExpr>(target)->value
                                                 : cast<AttributeExpr>(target)->value;
  const Type *recordType = out_->typeOf(owner);
  if (field->isUnknown() || value->isUnknown() || !recordType || !recordType->isRecord())
    return;
  if (field->isArray()) { // a sub-array field: `r['v'] = 1.0`, `r['v'] = row`
    if (auto *subscript = dynCast<SubscriptExpr>(target)) {
      typeSubarrayStore(subscript, field, value);
      return;
    }
    report(DiagKind::UnsupportedConstruct, target->span,
           {"assigning a whole sub-array field through an attribute ('r.v = x'; write "
            "r.v[:] = x) is"});
    return;
  }
  bool fits = field->isRecord() ? value->isRecord() && recordWithAccess(value, false) ==
                                                           recordWithAccess(field, false)
              : field->isComplex() ? value->isNumeric() || value->isComplex()
                                   : value->isNumeric();
  if (!fits) {
    report(DiagKind::ArrayStoreValue, target->span, {value->name(), recordType->name()});
    return;
  }
  if (recordType->readonly())
    report(DiagKind::ReadonlyStore, target->span, {recordType->name()});
}

} // namespace nogil::sema
