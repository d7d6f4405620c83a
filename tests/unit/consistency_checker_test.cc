// The consistency checker without a server: hand-made histories with one
// anomaly each, valid histories, histories from a simulated database with
// and without injected bugs, info transactions, models and files.
#include <gtest/gtest.h>

#include <sstream>

#include "checker.h"
#include "cycle_search.h"
#include "explanation.h"
#include "history_json.h"
#include "history_text.h"
#include "model_expectations.h"
#include "models.h"
#include "simulated_database.h"

namespace consistency {
namespace {

// A micro-operation of a hand-made transaction.
struct M {
  enum Kind { kAppend, kList, kWrite, kValue, kNil, kAdd } kind;
  int64_t key;
  int64_t value = 0;
  std::vector<int64_t> list = {};
};
M append(int64_t k, int64_t v) { return {M::kAppend, k, v}; }
M read(int64_t k, std::vector<int64_t> list) { return {M::kList, k, 0, std::move(list)}; }
M w(int64_t k, int64_t v) { return {M::kWrite, k, v}; }
M r(int64_t k, int64_t v) { return {M::kValue, k, v}; }
M rnil(int64_t k) { return {M::kNil, k}; }

// Builds a history. Unless given times, every transaction runs from 0 to
// 1000 on a process of its own: all concurrent, so no process or real-time
// order joins the data edges.
class Builder {
 public:
  Builder& txn(std::vector<M> mops, Outcome outcome = Outcome::kOk, int64_t invoke = 0,
               int64_t complete = 1000, int process = -1, Function f = Function::kTxn) {
    const auto p = process >= 0 ? static_cast<uint32_t>(process) : next_process_++;
    const uint32_t t = history_.begin_transaction(f, p, invoke);
    for (const M& m : mops) {
      switch (m.kind) {
        case M::kAppend: history_.add_append(t, m.key, m.value); break;
        case M::kList: history_.add_list_read(t, m.key, m.list); break;
        case M::kWrite: history_.add_write(t, m.key, m.value); break;
        case M::kValue: history_.add_value_read(t, m.key, m.value); break;
        case M::kNil: history_.add_nil_read(t, m.key); break;
        case M::kAdd: history_.add_add(t, m.key, m.value); break;
      }
    }
    history_.complete(t, outcome, complete);
    return *this;
  }
  History done() {
    history_.finish();
    return std::move(history_);
  }

 private:
  History history_;
  uint32_t next_process_ = 100;
};

uint64_t count(const CheckResult& result, AnomalyClass cls) {
  return result.counts[static_cast<int>(cls)];
}

CheckResult check_list(const History& h) { return check(h, {Workload::kListAppend}); }
CheckResult check_register(const History& h) { return check(h, {Workload::kRwRegister}); }

const Anomaly& first_of(const CheckResult& result, AnomalyClass cls) {
  for (const Anomaly& a : result.anomalies) {
    if (a.cls == cls) return a;
  }
  throw std::runtime_error(std::string("no ") + anomaly_name(cls));
}

std::string found_classes(const CheckResult& result) {
  std::string text;
  for (const AnomalyInfo& info : kAnomalyInfo) {
    if (count(result, info.cls)) text += std::string(info.name) + " ";
  }
  return text.empty() ? "none" : text;
}

// ---- Valid histories

TEST(ConsistencyChecker, ASerialListAppendHistoryHasNoAnomaly) {
  History h = Builder()
                  .txn({append(1, 1), read(1, {1})}, Outcome::kOk, 0, 10)
                  .txn({read(1, {1}), append(1, 2), append(2, 1)}, Outcome::kOk, 20, 30)
                  .txn({read(1, {1, 2}), read(2, {1})}, Outcome::kOk, 40, 50)
                  .txn({append(2, 2)}, Outcome::kFail, 60, 70)
                  .txn({read(2, {1})}, Outcome::kOk, 80, 90)
                  .done();
  CheckResult result = check_list(h);
  EXPECT_TRUE(result.anomalies.empty()) << found_classes(result);
  EXPECT_EQ(result.ok, 4u);
  EXPECT_EQ(result.failed, 1u);
  EXPECT_GT(result.edges, 0u);
  EXPECT_TRUE(judge(result, *find_model("strict-serializable")).valid());
}

TEST(ConsistencyChecker, ASimulatedStrictSerializableDatabaseShowsNoAnomaly) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    for (int64_t keys : {2, 10, 1000}) {
      History h = simulation::simulate({.transactions = 600, .keys = keys, .seed = seed});
      CheckResult result = check_list(h);
      EXPECT_TRUE(result.anomalies.empty())
          << "seed " << seed << ", keys " << keys << ": " << found_classes(result) << "\n"
          << (result.anomalies.empty() ? "" : explain_anomaly(h, result.anomalies[0], 1));
      EXPECT_EQ(result.components, 0u);
    }
  }
}

// ---- One anomaly each, with its explanation

TEST(ConsistencyChecker, G0IsAWriteCycle) {
  History h = Builder()
                  .txn({append(1, 1), append(2, 2)})
                  .txn({append(1, 2), append(2, 1)})
                  .txn({read(1, {1, 2}), read(2, {1, 2})})
                  .done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kG0), 1u) << found_classes(result);
  const Anomaly& g0 = first_of(result, AnomalyClass::kG0);
  ASSERT_EQ(g0.steps.size(), 2u);
  for (const Step& step : g0.steps) EXPECT_EQ(step.kind, kWW);
  const std::string text = explain_anomaly(h, g0, 1);
  EXPECT_NE(text.find("T0 precedes T1 (ww): T0 appended 1 to key 1, and T1 appended 2 right after"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("So T"), std::string::npos) << text;
  EXPECT_FALSE(judge(result, *find_model("read-uncommitted")).valid());
}

TEST(ConsistencyChecker, G1aIsAReadOfAnAbortedAppend) {
  History h = Builder().txn({append(1, 1)}, Outcome::kFail).txn({read(1, {1})}).done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kG1a), 1u) << found_classes(result);
  EXPECT_NE(first_of(result, AnomalyClass::kG1a).why.find("which failed (was rolled back)"),
            std::string::npos);
  EXPECT_TRUE(judge(result, *find_model("read-uncommitted")).valid());
  EXPECT_FALSE(judge(result, *find_model("read-committed")).valid());
}

TEST(ConsistencyChecker, G1bIsAReadOfAnIntermediateAppend) {
  History h = Builder().txn({append(1, 1), append(1, 2)}).txn({read(1, {1})}).done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kG1b), 1u) << found_classes(result);
  EXPECT_NE(first_of(result, AnomalyClass::kG1b).why.find("intermediate"), std::string::npos);
}

TEST(ConsistencyChecker, G1cIsCyclicInformationFlow) {
  History h = Builder().txn({append(1, 1), read(2, {1})}).txn({append(2, 1), read(1, {1})}).done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kG1c), 1u) << found_classes(result);
  const Anomaly& g1c = first_of(result, AnomalyClass::kG1c);
  for (const Step& step : g1c.steps) {
    EXPECT_EQ(step.kind, kWR);
    EXPECT_NE(step.why.find("whose last element 1 was appended by"), std::string::npos);
  }
}

TEST(ConsistencyChecker, GSingleIsReadSkew) {
  History h = Builder().txn({read(1, {}), read(2, {1})}).txn({append(1, 1), append(2, 1)}).done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kGSingle), 1u) << found_classes(result);
  const std::string text = explain_anomaly(h, first_of(result, AnomalyClass::kGSingle), 1);
  EXPECT_NE(text.find("(rw): T0 read key 1 = [], the empty list, and did not see T1's append of 1"),
            std::string::npos)
      << text;
  EXPECT_FALSE(judge(result, *find_model("snapshot-isolation")).valid());
  EXPECT_TRUE(judge(result, *find_model("read-committed")).valid());
}

TEST(ConsistencyChecker, GNonadjacentHasAntiDependenciesApart) {
  History h = Builder()
                  .txn({read(1, {}), read(4, {1})})
                  .txn({append(1, 1), append(2, 1)})
                  .txn({read(2, {1}), read(3, {})})
                  .txn({append(3, 1), append(4, 1)})
                  .done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kGNonadjacent), 1u) << found_classes(result);
  EXPECT_EQ(first_of(result, AnomalyClass::kGNonadjacent).steps.size(), 4u);
  EXPECT_FALSE(judge(result, *find_model("snapshot-isolation")).valid());
}

TEST(ConsistencyChecker, G2ItemIsWriteSkew) {
  History h = Builder().txn({read(1, {}), append(2, 1)}).txn({read(2, {}), append(1, 1)}).done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kG2Item), 1u) << found_classes(result);
  EXPECT_EQ(count(result, AnomalyClass::kGSingle), 0u);
  EXPECT_TRUE(judge(result, *find_model("snapshot-isolation")).valid());
  EXPECT_FALSE(judge(result, *find_model("serializable")).valid());
}

TEST(ConsistencyChecker, LostUpdateIsTwoAppendsOnOneVersion) {
  History h = Builder()
                  .txn({read(1, {}), append(1, 1)})
                  .txn({read(1, {}), append(1, 2)})
                  .txn({read(1, {1, 2})})
                  .done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kLostUpdate), 1u) << found_classes(result);
  EXPECT_NE(first_of(result, AnomalyClass::kLostUpdate).why.find("T0 and T1 all read key 1 = []"),
            std::string::npos)
      << first_of(result, AnomalyClass::kLostUpdate).why;
}

TEST(ConsistencyChecker, ReadsThatAreNoPrefixOfOneAnotherAreAnIncompatibleOrder) {
  History h = Builder()
                  .txn({append(1, 1), append(1, 2)})
                  .txn({append(1, 3)})
                  .txn({read(1, {1, 2})})
                  .txn({read(1, {1, 3})})
                  .done();
  CheckResult result = check_list(h);
  EXPECT_EQ(count(result, AnomalyClass::kIncompatibleOrder), 1u) << found_classes(result);
}

TEST(ConsistencyChecker, DuplicateInternalGarbageAndDirtyUpdate) {
  History h = Builder()
                  .txn({append(1, 1)})
                  .txn({read(1, {1, 1})})
                  .txn({append(2, 5), read(2, {7})})
                  .txn({read(3, {9})})
                  .txn({append(4, 1)}, Outcome::kFail)
                  .txn({append(4, 2)})
                  .txn({read(4, {1, 2})})
                  .done();
  CheckResult result = check_list(h);
  EXPECT_EQ(count(result, AnomalyClass::kDuplicateElements), 1u) << found_classes(result);
  EXPECT_EQ(count(result, AnomalyClass::kInternal), 1u);
  EXPECT_GE(count(result, AnomalyClass::kGarbageRead), 1u);
  EXPECT_EQ(count(result, AnomalyClass::kDirtyUpdate), 1u);
  EXPECT_EQ(count(result, AnomalyClass::kG1a), 1u);
  EXPECT_NE(first_of(result, AnomalyClass::kInternal).why.find("should have been [... 5]"),
            std::string::npos)
      << first_of(result, AnomalyClass::kInternal).why;
}

// ---- Order: sessions and real time

TEST(ConsistencyChecker, AStaleReadAfterACompletedAppendIsARealtimeCycle) {
  History h = Builder()
                  .txn({append(1, 1)}, Outcome::kOk, 0, 10)
                  .txn({read(1, {})}, Outcome::kOk, 20, 30)
                  .done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kGSingleRealtime), 1u) << found_classes(result);
  EXPECT_NE(first_of(result, AnomalyClass::kGSingleRealtime).steps[0].why.find("completed at"),
            std::string::npos);
  EXPECT_TRUE(judge(result, *find_model("serializable")).valid());
  EXPECT_FALSE(judge(result, *find_model("strict-serializable")).valid());
}

TEST(ConsistencyChecker, AStaleReadInOneSessionIsAProcessCycle) {
  History h = Builder()
                  .txn({append(1, 1)}, Outcome::kOk, 0, 10, 7)
                  .txn({read(1, {})}, Outcome::kOk, 20, 30, 7)
                  .done();
  CheckResult result = check_list(h);
  ASSERT_EQ(count(result, AnomalyClass::kGSingleProcess), 1u) << found_classes(result);
  EXPECT_EQ(count(result, AnomalyClass::kGSingleRealtime), 0u);
  EXPECT_FALSE(judge(result, *find_model("strict-serializable")).valid());
}

// Each data class closed by an order edge: a path of data edges from A to
// B, and B completed before A began (real time) or ran before A in one
// session (process). Every other transaction spans the whole history on a
// process of its own, so it is ordered against nobody.
struct OrderCase {
  AnomalyClass data_class;
  std::vector<std::vector<M>> middle;  // between A and B on the data path
  std::vector<M> a, b;
};

void PrintTo(const OrderCase& c, std::ostream* out) { *out << anomaly_name(c.data_class); }

class OrderVariants : public ::testing::TestWithParam<std::tuple<OrderCase, CycleOrder>> {};

TEST_P(OrderVariants, ADataPathClosedByOrderIsItsOrderVariant) {
  const auto& [c, order] = GetParam();
  const bool same_process = order == CycleOrder::kProcess;
  Builder builder;
  builder.txn(c.b, Outcome::kOk, 0, 10, same_process ? 7 : -1);
  builder.txn(c.a, Outcome::kOk, 20, 30, same_process ? 7 : -1);
  for (const auto& mops : c.middle) builder.txn(mops, Outcome::kOk, 0, 1000);
  History h = builder.done();
  CheckResult result = check_list(h);
  const AnomalyClass expected = cycle_class(c.data_class, order);
  EXPECT_EQ(count(result, expected), 1u) << found_classes(result);
  EXPECT_EQ(result.components, 0u) << "a data cycle too: " << found_classes(result);
  // The order edge is B -> A, B being T0 (invoked first) and A the last.
  const std::string a = "T" + std::to_string(h.transactions().back().invoke_index);
  const std::string text = explain_anomaly(h, first_of(result, expected), 1);
  EXPECT_NE(
      text.find(order == CycleOrder::kProcess
                    ? "T0 precedes " + a + " (process): " + a + " ran after T0 on process 7"
                    : "T0 precedes " + a + " (realtime): T0 completed at 0.000000 s, before " + a +
                          " began at 0.000000 s"),
      std::string::npos)
      << text;
  EXPECT_FALSE(judge(result, *find_model("strict-serializable")).valid());
  EXPECT_TRUE(judge(result, *find_model("serializable")).valid());
}

const OrderCase kOrderCases[] = {
    // A appended 2 after B's 1 ... read as [2 1]: B's append follows A's.
    {AnomalyClass::kG0, {{read(1, {2, 1})}}, {append(1, 2)}, {append(1, 1)}},
    // B read what A appended, though B ended before A began.
    {AnomalyClass::kG1c, {}, {append(1, 1)}, {read(1, {1})}},
    // A did not see B's append, though B ended before A began.
    {AnomalyClass::kGSingle, {}, {read(1, {})}, {append(1, 1)}},
    {AnomalyClass::kGNonadjacent,
     {{append(1, 1), append(2, 1)}, {read(2, {1}), read(3, {})}},
     {read(1, {})},
     {append(3, 1)}},
    {AnomalyClass::kG2Item, {{append(1, 1), read(2, {})}}, {read(1, {})}, {append(2, 1)}},
};

INSTANTIATE_TEST_SUITE_P(
    EveryDataClass, OrderVariants,
    ::testing::Combine(::testing::ValuesIn(kOrderCases),
                       ::testing::Values(CycleOrder::kProcess, CycleOrder::kRealtime)),
    [](const ::testing::TestParamInfo<std::tuple<OrderCase, CycleOrder>>& info) {
      std::string name =
          anomaly_name(cycle_class(std::get<0>(info.param).data_class, std::get<1>(info.param)));
      for (char& ch : name) {
        if (ch == '-') ch = '_';
      }
      return name;
    });

// ---- Info transactions

TEST(ConsistencyChecker, AnInfoTransactionsReadsAreNoEvidence) {
  // T2 saw T0's append, so T0 committed; were T0's read of key 1 known,
  // T0 -rw-> T1 -ww-> T0 would be read skew. An info transaction's reads
  // are unknown: no anomaly may rest on them.
  auto make = [](Outcome first) {
    return Builder()
        .txn({append(4, 2), read(1, {})}, first)
        .txn({append(1, 1), append(4, 1)})
        .txn({read(4, {1, 2})})
        .done();
  };
  CheckResult committed = check_list(make(Outcome::kOk));
  EXPECT_EQ(count(committed, AnomalyClass::kGSingle), 1u) << found_classes(committed);
  CheckResult unknown = check_list(make(Outcome::kInfo));
  EXPECT_TRUE(unknown.anomalies.empty()) << found_classes(unknown);
  EXPECT_EQ(unknown.indeterminate, 1u);
}

TEST(ConsistencyChecker, AnUnobservedInfoTransactionPrecedesNothing) {
  // Had T0 committed when its client gave up (at 10), T1 (from 20) should
  // have seen its append: a stale read. Nobody saw the append, so T0 may
  // never have committed, or committed after T1: no anomaly.
  auto make = [](Outcome first) {
    return Builder()
        .txn({append(1, 1)}, first, 0, 10)
        .txn({read(1, {})}, Outcome::kOk, 20, 30)
        .done();
  };
  CheckResult unknown = check_list(make(Outcome::kInfo));
  EXPECT_TRUE(unknown.anomalies.empty()) << found_classes(unknown);
  EXPECT_EQ(count(check_list(make(Outcome::kOk)), AnomalyClass::kGSingleRealtime), 1u);
}

TEST(ConsistencyChecker, AnObservedInfoTransactionCommittedAndTakesPart) {
  // T1 saw T0's append to key 1 but not its append to key 2: read skew,
  // though T0's outcome is unknown, because T0's effect was observed.
  History h = Builder()
                  .txn({append(1, 1), append(2, 1)}, Outcome::kInfo)
                  .txn({read(1, {1}), read(2, {})})
                  .done();
  CheckResult result = check_list(h);
  EXPECT_EQ(count(result, AnomalyClass::kGSingle), 1u) << found_classes(result);
}

// ---- Property tests: each injected bug is found

TEST(ConsistencyChecker, EachInjectedBugIsFound) {
  struct Case {
    simulation::Bug bug;
    std::vector<AnomalyClass> any_of;
  };
  const std::vector<Case> cases = {
      {simulation::Bug::kLostUpdate, {AnomalyClass::kLostUpdate}},
      {simulation::Bug::kAbortedRead, {AnomalyClass::kG1a}},
      {simulation::Bug::kSwappedOrder,
       {AnomalyClass::kIncompatibleOrder, AnomalyClass::kG0, AnomalyClass::kG1c,
        AnomalyClass::kG0Realtime, AnomalyClass::kG1cRealtime, AnomalyClass::kG0Process,
        AnomalyClass::kG1cProcess}},
      {simulation::Bug::kStaleRead,
       {AnomalyClass::kGSingleRealtime, AnomalyClass::kGSingleProcess,
        AnomalyClass::kGNonadjacentRealtime, AnomalyClass::kGNonadjacentProcess,
        AnomalyClass::kG2ItemRealtime, AnomalyClass::kG2ItemProcess}},
  };
  for (const Case& c : cases) {
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      History h = simulation::simulate(
          {.transactions = 400, .keys = 4, .fail_rate = 0.05, .seed = seed, .bug = c.bug});
      CheckResult result = check_list(h);
      bool found = false;
      for (AnomalyClass cls : c.any_of) found = found || count(result, cls) > 0;
      EXPECT_TRUE(found) << "bug " << static_cast<int>(c.bug) << ", seed " << seed << ": found "
                         << found_classes(result);
      EXPECT_FALSE(judge(result, *find_model("strict-serializable")).valid());
    }
  }
}

// ---- rw-register

TEST(ConsistencyChecker, RwRegisterFindsDirtyReadsCyclesAndLostUpdates) {
  History g1 = Builder()
                   .txn({w(1, 1)}, Outcome::kFail)
                   .txn({r(1, 1)})
                   .txn({w(2, 1), w(2, 2)})
                   .txn({r(2, 1)})
                   .txn({w(3, 1), r(3, 2)})
                   .done();
  CheckResult dirty = check_register(g1);
  EXPECT_EQ(count(dirty, AnomalyClass::kG1a), 1u) << found_classes(dirty);
  EXPECT_EQ(count(dirty, AnomalyClass::kG1b), 1u);
  EXPECT_EQ(count(dirty, AnomalyClass::kInternal), 1u);

  History g1c = Builder().txn({w(1, 1), r(2, 1)}).txn({w(2, 1), r(1, 1)}).done();
  EXPECT_EQ(count(check_register(g1c), AnomalyClass::kG1c), 1u);

  History lost = Builder().txn({rnil(1), w(1, 1)}).txn({rnil(1), w(1, 2)}).done();
  CheckResult lost_result = check_register(lost);
  EXPECT_EQ(count(lost_result, AnomalyClass::kLostUpdate), 1u) << found_classes(lost_result);
  EXPECT_EQ(count(lost_result, AnomalyClass::kG2Item), 1u);

  // Writes follow reads: T0 read 1 and wrote 2, so 1 < 2; T2 read 2 and
  // then 1 from another key's writer... a read of 1 after 2 was seen is
  // read skew.
  History skew =
      Builder().txn({w(1, 1)}).txn({r(1, 1), w(1, 2), w(2, 1)}).txn({r(2, 1), r(1, 1)}).done();
  CheckResult skew_result = check_register(skew);
  EXPECT_EQ(count(skew_result, AnomalyClass::kGSingle), 1u) << found_classes(skew_result);

  History valid = Builder()
                      .txn({rnil(1), w(1, 1)}, Outcome::kOk, 0, 10)
                      .txn({r(1, 1), w(1, 2)}, Outcome::kOk, 20, 30)
                      .txn({r(1, 2)}, Outcome::kOk, 40, 50)
                      .done();
  EXPECT_TRUE(check_register(valid).anomalies.empty()) << found_classes(check_register(valid));
}

TEST(ConsistencyChecker, AHistoryOfTheWrongWorkloadIsRefused) {
  History h = Builder().txn({w(1, 1)}).done();
  EXPECT_THROW(check_list(h), HistoryError);
  History twice = Builder().txn({append(1, 1)}).txn({append(1, 1)}).done();
  EXPECT_THROW(check_list(twice), HistoryError);
}

// ---- bank

TEST(ConsistencyChecker, BankReadsMustAddUpToTheTotal) {
  M add1{M::kAdd, 0, -5}, add2{M::kAdd, 1, 5};
  History h = Builder()
                  .txn({add1, add2}, Outcome::kOk, 0, 1000, -1, Function::kTransfer)
                  .txn({r(0, 95), r(1, 105)}, Outcome::kOk, 0, 1000, -1, Function::kRead)
                  .txn({r(0, 95), r(1, 100)}, Outcome::kOk, 0, 1000, -1, Function::kRead)
                  .done();
  CheckResult result = check(h, {Workload::kBank, {2, 200}});
  ASSERT_EQ(count(result, AnomalyClass::kWrongTotal), 1u) << found_classes(result);
  EXPECT_NE(first_of(result, AnomalyClass::kWrongTotal).why.find("add up to 195, not 200"),
            std::string::npos);
}

// ---- Models, search, files

TEST(ConsistencyModels, StrongerModelsForbidMore) {
  const auto& all = models();
  ASSERT_EQ(all.size(), 6u);
  auto forbids = [](const char* model, AnomalyClass cls) {
    return find_model(model)->forbids(cls);
  };
  EXPECT_FALSE(forbids("read-uncommitted", AnomalyClass::kG1a));
  EXPECT_TRUE(forbids("read-committed", AnomalyClass::kG1a));
  EXPECT_FALSE(forbids("read-committed", AnomalyClass::kGSingle));
  EXPECT_FALSE(forbids("snapshot-isolation", AnomalyClass::kG2Item));
  EXPECT_TRUE(forbids("serializable", AnomalyClass::kG2Item));
  EXPECT_FALSE(forbids("serializable", AnomalyClass::kGSingleRealtime));
  EXPECT_TRUE(forbids("strict-serializable", AnomalyClass::kG0Process));
  EXPECT_FALSE(forbids("repeatable-read", AnomalyClass::kInternal));
  EXPECT_TRUE(forbids("snapshot-isolation", AnomalyClass::kInternal));
  for (const Model& model : all) EXPECT_TRUE(model.forbids(AnomalyClass::kG0)) << model.name;
  EXPECT_EQ(find_model("linearizable"), nullptr);
}

TEST(ConsistencyModels, ARecordedRowReplacesItsProfileAndLevelsOrIsAdded) {
  const std::string table =
      "# recorded\nmariadb-si-off read-committed read-uncommitted  # old\n"
      "mariadb-si-off serializable strict-serializable\n";
  const std::string replaced =
      with_row(table, "mariadb-si-off", "read-committed", "read-committed");
  EXPECT_EQ(replaced,
            "# recorded\nmariadb-si-off read-committed read-committed\n"
            "mariadb-si-off serializable strict-serializable\n");
  const std::string added =
      with_row(replaced, "mariadb-si-on", "repeatable-read", "snapshot-isolation");
  EXPECT_EQ(added, replaced + "mariadb-si-on repeatable-read snapshot-isolation\n");
  const ModelExpectations read = ModelExpectations::parse("t.txt", added);
  EXPECT_EQ(read.model_for("mariadb-si-off", "read-committed"), "read-committed");
  EXPECT_EQ(read.model_for("mariadb-si-on", "repeatable-read"), "snapshot-isolation");
}

TEST(ConsistencyModels, TheExpectationsTableNamesItsFileAndLine) {
  ModelExpectations table = ModelExpectations::parse(
      "t.txt", "# comment\nmariadb-si-on repeatable-read snapshot-isolation  # measured\n\n");
  EXPECT_EQ(table.model_for("mariadb-si-on", "repeatable-read"), "snapshot-isolation");
  auto error = [](const std::string& text) {
    try {
      ModelExpectations::parse("t.txt", text);
    } catch (const ExpectationsError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("\nmariadb read-committed read-committed\n"),
            "t.txt:2: unknown profile 'mariadb'; use one of mysql, mariadb-si-off, mariadb-si-on, "
            "mariadb-galera, tidb-pessimistic, tidb-optimistic");
  EXPECT_EQ(error("mysql read-committd read-committed"),
            "t.txt:1: unknown level 'read-committd'; use one of read-uncommitted, read-committed, "
            "repeatable-read, serializable");
  EXPECT_EQ(error("mysql serializable linearizable"),
            "t.txt:1: unknown model 'linearizable'; use one of read-uncommitted, read-committed, "
            "repeatable-read, snapshot-isolation, serializable, strict-serializable");
  EXPECT_EQ(error("mysql serializable"), "t.txt:1: a row is: profile level model");
  EXPECT_EQ(error("mysql serializable serializable\nmysql serializable serializable"),
            "t.txt:2: mysql serializable is given twice");
  try {
    table.model_for("tidb-optimistic", "read-committed");
    FAIL() << "no error";
  } catch (const ExpectationsError& e) {
    EXPECT_STREQ(e.what(),
                 "t.txt has no row for tidb-optimistic at read-committed: add one, or name the "
                 "model with --consistency.model");
  }
}

TEST(ConsistencyChecker, AForbiddenClassTheSearchGaveUpOnIsNoPass) {
  CheckResult result;
  result.undecided[static_cast<int>(AnomalyClass::kGSingle)] = 1;
  Verdict verdict = judge(result, *find_model("serializable"));
  EXPECT_FALSE(verdict.valid());
  ASSERT_EQ(verdict.undecided.size(), 1u);
  EXPECT_TRUE(judge(result, *find_model("read-committed")).valid());
}

TEST(ConsistencyChecker, ClassifiesCyclesByTheirEdges) {
  EXPECT_EQ(classify_cycle({kWW, kWW}), AnomalyClass::kG0);
  EXPECT_EQ(classify_cycle({kWW, kWR}), AnomalyClass::kG1c);
  EXPECT_EQ(classify_cycle({kRW, kWR}), AnomalyClass::kGSingle);
  EXPECT_EQ(classify_cycle({kRW, kWR, kRW, kWW}), AnomalyClass::kGNonadjacent);
  EXPECT_EQ(classify_cycle({kRW, kRW}), AnomalyClass::kG2Item);
  EXPECT_EQ(classify_cycle({kRW, kWR, kWR, kRW}),
            AnomalyClass::kG2Item);  // adjacent across the end
  EXPECT_EQ(classify_cycle({kRW, kProcessOrder}), AnomalyClass::kGSingleProcess);
  EXPECT_EQ(classify_cycle({kRW, kProcessOrder, kRealtimeOrder}), AnomalyClass::kGSingleRealtime);
}

TEST(ConsistencyHistoryFile, ARecordedHistoryReadsBackTheSame) {
  History h = simulation::simulate({.transactions = 300,
                                    .keys = 3,
                                    .info_rate = 0.05,
                                    .seed = 3,
                                    .bug = simulation::Bug::kAbortedRead});
  std::stringstream file;
  write_history(h, file);
  History back = parse_history("h.jsonl", file);
  ASSERT_EQ(back.transactions().size(), h.transactions().size());
  for (std::size_t t = 0; t < h.transactions().size(); ++t) {
    EXPECT_EQ(describe_transaction(back, static_cast<uint32_t>(t)),
              describe_transaction(h, static_cast<uint32_t>(t)));
  }
  EXPECT_EQ(check_list(back).counts, check_list(h).counts);
}

TEST(ConsistencyHistoryFile, NemesisFaultsAreLinesOfTheirOwnInTimeOrder) {
  History h = Builder()
                  .txn({append(1, 1)}, Outcome::kOk, 0, 100)
                  .txn({read(1, {1})}, Outcome::kOk, 200, 300)
                  .done();
  History with_faults;
  for (const Transaction& t : h.transactions()) {
    const uint32_t id = with_faults.begin_transaction(t.f, t.process, t.invoke_ns);
    for (const Mop& mop : h.mops(t)) {
      if (mop.kind == MopKind::kAppend) with_faults.add_append(id, mop.key, mop.value);
      if (mop.kind == MopKind::kRead) with_faults.add_list_read(id, mop.key, h.list(mop));
    }
    with_faults.complete(id, t.outcome, t.complete_ns);
  }
  with_faults.add_nemesis({150, 0, "start", "kill", {2}});
  with_faults.add_nemesis({250, 0, "heal", "kill", {2}});
  with_faults.finish();
  std::stringstream file;
  write_history(with_faults, file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[2],
            "{\"f\":\"kill\",\"index\":2,\"process\":\"nemesis\",\"time\":150,\"type\":\"info\","
            "\"value\":{\"nodes\":[2],\"phase\":\"start\"}}");
  EXPECT_NE(lines[4].find("\"phase\":\"heal\""), std::string::npos) << lines[4];
  std::stringstream again(file.str());
  History back = parse_history("n.jsonl", again);
  ASSERT_EQ(back.nemesis().size(), 2u);
  EXPECT_EQ(back.nemesis()[1].phase, "heal");
  EXPECT_EQ(back.nemesis()[1].nodes, std::vector<uint32_t>{2});
  EXPECT_EQ(back.transactions().size(), 2u);
  EXPECT_TRUE(check_list(back).anomalies.empty());
}

TEST(ConsistencyHistoryFile, ReadsJepsensFormatWithStringKeysAndNamesBadLines) {
  std::stringstream file(
      "{\"index\":0,\"type\":\"invoke\",\"f\":\"txn\",\"value\":[[\"append\",\"x\",1]],"
      "\"process\":0,\"time\":1}\n"
      "{\"index\":1,\"type\":\"invoke\",\"f\":\"txn\",\"value\":[[\"r\",\"x\",null]],"
      "\"process\":1,\"time\":2}\n"
      "{\"index\":2,\"type\":\"ok\",\"f\":\"txn\",\"value\":[[\"append\",\"x\",1]],"
      "\"process\":0,\"time\":3}\n"
      "{\"index\":3,\"type\":\"ok\",\"f\":\"txn\",\"value\":[[\"r\",\"x\",[1]]],"
      "\"process\":1,\"time\":4}\n"
      // An ok read of null is an empty list; a failed one's is unknown.
      "{\"index\":4,\"type\":\"invoke\",\"f\":\"txn\",\"value\":[[\"r\",\"y\",null]],"
      "\"process\":0,\"time\":5}\n"
      "{\"index\":5,\"type\":\"ok\",\"f\":\"txn\",\"value\":[[\"r\",\"y\",null]],"
      "\"process\":0,\"time\":6}\n"
      "{\"index\":6,\"type\":\"invoke\",\"f\":\"txn\",\"value\":[[\"r\",\"x\",null]],"
      "\"process\":0,\"time\":7}\n"
      "{\"index\":7,\"type\":\"fail\",\"f\":\"txn\",\"value\":[[\"r\",\"x\",null]],"
      "\"process\":0,\"time\":8}\n");
  History h = parse_history("j.jsonl", file);
  ASSERT_EQ(h.transactions().size(), 4u);
  EXPECT_EQ(describe_transaction(h, 1), "T1 (process 1, ok): r x [1]");
  EXPECT_EQ(describe_transaction(h, 2), "T4 (process 0, ok): r y nil");
  EXPECT_EQ(describe_transaction(h, 3), "T6 (process 0, fail): r x ?");
  CheckResult result = check_list(h);
  EXPECT_TRUE(result.anomalies.empty()) << found_classes(result);
  EXPECT_EQ(result.ok, 3u);

  std::stringstream bad(
      "{\"type\":\"invoke\",\"f\":\"txn\",\"value\":[],\"process\":0}\n"
      "{\"type\":\"okay\",\"f\":\"txn\",\"value\":[],\"process\":0}\n");
  try {
    parse_history("bad.jsonl", bad);
    FAIL() << "no error";
  } catch (const HistoryFileError& e) {
    EXPECT_STREQ(e.what(), "bad.jsonl:2: \"type\" must be invoke, ok, fail or info, not okay");
  }
  std::stringstream not_json("{\"type\":\n");
  EXPECT_THROW(parse_history("x", not_json), HistoryFileError);
}

}  // namespace
}  // namespace consistency
