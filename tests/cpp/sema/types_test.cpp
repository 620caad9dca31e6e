// Unification follows Numba: bool < int64 < float64; None joins nothing but itself.
#include "sema/types.h"

#include <gtest/gtest.h>

using namespace nogil::sema;

TEST(Unify, WidensNumericTypes) {
  EXPECT_EQ(unify(int64Type(), float64Type()), float64Type());
  EXPECT_EQ(unify(float64Type(), int64Type()), float64Type());
  EXPECT_EQ(unify(boolType(), int64Type()), int64Type());
  EXPECT_EQ(unify(boolType(), boolType()), boolType());
}

TEST(Unify, UnknownGivesWayToTheOtherType) {
  EXPECT_EQ(unify(unknownType(), int64Type()), int64Type());
  EXPECT_EQ(unify(float64Type(), unknownType()), float64Type());
}

TEST(Unify, NoneAndAValueMakeAnOptional) {
  EXPECT_EQ(unify(noneType(), int64Type()), optionalType(int64Type()));
  EXPECT_EQ(unify(float64Type(), noneType()), optionalType(float64Type()));
  EXPECT_EQ(unify(noneType(), noneType()), noneType());
  // An optional joins None and its own value's kin; the value types promote.
  EXPECT_EQ(unify(optionalType(int64Type()), float64Type()), optionalType(float64Type()));
  EXPECT_EQ(unify(optionalType(int64Type()), noneType()), optionalType(int64Type()));
}

TEST(Types, NamesAndSignatureText) {
  EXPECT_STREQ(float64Type()->name(), "float64");
  EXPECT_EQ(signatureText("f", {"x", "y"}, {int64Type(), boolType()}), "f(x: int64, y: bool)");
}
