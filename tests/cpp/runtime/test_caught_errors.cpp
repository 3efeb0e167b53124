// The records try/except keeps of a caught error (runtime/errors.cpp): a
// caught error leaves the thread's pending record free for others, matches
// its class and (through the dispatcher's hook) its bases, and comes back
// whole when it is raised again (pytest: test_try_except.py).
#include <gtest/gtest.h>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/functions.h"

namespace {

int g_base, g_derived, g_other;  // stand-ins for classes: only their addresses are used

bool derived_from_base(void* cls, void* base) { return cls == &g_derived && base == &g_base; }

}  // namespace

TEST(CaughtErrors, CatchingFreesThePendingRecordAndRestoringBringsItBack) {
  numjit_rt_set_error(&g_derived, "first");
  void* caught = numjit_rt_catch_error();
  EXPECT_FALSE(numjit::runtime::has_pending_error());
  numjit_rt_set_error(&g_other, "second, raised and caught while the first is handled");
  numjit_rt_discard_error(numjit_rt_catch_error());
  numjit_rt_restore_error(caught);
  numjit::runtime::PendingError e = numjit::runtime::take_pending_error();
  EXPECT_TRUE(e.set);
  EXPECT_EQ(e.exc_class, &g_derived);
  EXPECT_EQ(e.message, "first");
}

TEST(CaughtErrors, MatchesItsOwnClassAndTheBasesTheHookKnows) {
  numjit_rt_set_error(&g_derived, "x");
  void* caught = numjit_rt_catch_error();
  EXPECT_TRUE(numjit_rt_caught_error_matches(caught, &g_derived));
  EXPECT_FALSE(numjit_rt_caught_error_matches(caught, &g_base));  // no hook: only the class itself
  numjit::runtime::set_exception_hooks(derived_from_base, nullptr, nullptr);
  EXPECT_TRUE(numjit_rt_caught_error_matches(caught, &g_base));
  EXPECT_FALSE(numjit_rt_caught_error_matches(caught, &g_other));
  numjit::runtime::set_exception_hooks(nullptr, nullptr, nullptr);
  numjit_rt_discard_error(caught);
  numjit_rt_discard_error(nullptr);  // a slot that holds nothing
  EXPECT_FALSE(numjit::runtime::has_pending_error());
}

TEST(CaughtErrors, RaisingACaughtErrorAgainKeepsTheRecord) {
  numjit_rt_set_error(&g_base, "again and again");
  void* caught = numjit_rt_catch_error();
  for (int i = 0; i < 2; ++i) {  // a handler may raise it, catch that, and raise it once more
    numjit_rt_raise_caught(caught);
    numjit::runtime::PendingError e = numjit::runtime::take_pending_error();
    EXPECT_EQ(e.exc_class, &g_base);
    EXPECT_EQ(e.message, "again and again");
  }
  numjit_rt_discard_error(caught);
  numjit_rt_restore_error(nullptr);  // a slot already emptied restores nothing
  EXPECT_FALSE(numjit::runtime::has_pending_error());
}
