// The owner mark: it names this process exactly, reads back, refuses text
// that is not a mark, and judges a process alive, ended, or beyond its sight.
#include "test_rig/sdk/owner_mark.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using test_rig::OwnerMark;
using test_rig::OwnerState;

TEST(OwnerMark, ReadsBackWhatItWrites) {
  const OwnerMark mark = test_rig::owner_mark();
  EXPECT_EQ(mark.pid, ::getpid());
  EXPECT_FALSE(mark.boot.empty());
  EXPECT_FALSE(mark.pid_namespace.empty());
  EXPECT_FALSE(mark.start.empty());
  auto parsed = test_rig::parse_owner_mark(mark.text());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->text(), mark.text());
  // A comment may say more after a space.
  ASSERT_TRUE(test_rig::parse_owner_mark(mark.text() + " altered").has_value());
  EXPECT_EQ(test_rig::owner_comment(), "COMMENT='" + mark.text() + "'");
}

TEST(OwnerMark, TextThatIsNoMarkIsRefused) {
  for (const char* text :
       {"", "test-rig", "test-rig: mine", "test-rig:a:b:c:12:d:e", "test-rig:a:b:c:x1:d",
        "test-rig:a:B:c:1:d", "test-rig:a:b:c:1:", "sysbench:a:b:c:1:d",
        "test-rig:a:b:c:12345678901:d", "test-rig:a:b:c:1:d'; DROP TABLE t"}) {
    EXPECT_FALSE(test_rig::parse_owner_mark(text).has_value()) << text;
  }
}

TEST(OwnerMark, ThisProcessIsAliveAnEndedOneGoneAnotherMachineUnknown) {
  EXPECT_EQ(test_rig::owner_state(test_rig::owner_mark()), OwnerState::kAlive);

  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  pid_t child = ::fork();
  if (child == 0) {
    const std::string text = test_rig::owner_mark().text();
    (void)!::write(ends[1], text.data(), text.size());
    _exit(0);
  }
  ::close(ends[1]);
  char buffer[256];
  ssize_t n = ::read(ends[0], buffer, sizeof(buffer));
  ::close(ends[0]);
  auto child_mark = test_rig::parse_owner_mark(std::string(buffer, n > 0 ? n : 0));
  ASSERT_TRUE(child_mark.has_value());
  EXPECT_EQ(child_mark->pid, child);
  EXPECT_NE(child_mark->token, test_rig::owner_mark().token) << "a fork draws its own token";
  // Ended but not reaped (a zombie) is ended too.
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT), 0);
  EXPECT_EQ(test_rig::owner_state(*child_mark), OwnerState::kGone);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(test_rig::owner_state(*child_mark), OwnerState::kGone);

  OwnerMark reused_pid = test_rig::owner_mark();
  reused_pid.start = "1";  // this PID, but a process that started at boot
  EXPECT_EQ(test_rig::owner_state(reused_pid), OwnerState::kGone);

  OwnerMark elsewhere = test_rig::owner_mark();
  elsewhere.boot = "0123456789abcdef";
  EXPECT_EQ(test_rig::owner_state(elsewhere), OwnerState::kUnknown);
  OwnerMark other_container = test_rig::owner_mark();
  other_container.pid_namespace = "1";
  EXPECT_EQ(test_rig::owner_state(other_container), OwnerState::kUnknown);
}

}  // namespace
