// Runs the real `coproduce` binary as a child process, with its own standard input, output and
// error, so the CLI tests see exactly what a person at a terminal (or a script) would.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace cp::test {

struct CliResult {
  int exit_code = -1;  // 128 + signal number when the process died of a signal
  std::string out, err;
  bool timed_out = false;
};

// A started child: pipes to its stdin, stdout and stderr.
class CliProcess {
 public:
  // `env` adds to (or replaces in) this process's environment. The share folder and fast password
  // hashing are set by default so each run starts quickly.
  CliProcess(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    env.try_emplace("COPRODUCE_SHARE", COPRODUCE_SHARE);
    env.try_emplace("COPRODUCE_PASSWORD_COST", "min");
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
      std::string kv(*e);
      if (!env.count(kv.substr(0, kv.find('=')))) env_strings.push_back(kv);
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<std::string> argv_strings{COPRODUCE_BINARY};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    // Everything exec needs is built before fork: after fork only async-signal-safe calls are made.
    std::vector<char*> argv, envp;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
      throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(in[0], STDIN_FILENO);
      dup2(out[1], STDOUT_FILENO);
      dup2(err[1], STDERR_FILENO);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    in_ = in[1];
    out_ = out[0];
    err_ = err[0];
    signal(SIGPIPE, SIG_IGN);  // a child that exits before reading its input must not kill the test
  }

  ~CliProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    for (int fd : {in_, out_, err_})
      if (fd >= 0) close(fd);
  }

  CliProcess(const CliProcess&) = delete;

  // Writes `text` to the child's standard input and closes it.
  void send(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
      auto n = write(in_, text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    close(in_);
    in_ = -1;
  }

  // Reads until standard output has a whole line, the child closes it, or the time runs out.
  // Returns the line without its newline ("" on time-out or end).
  std::string read_line(int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      if (auto nl = out_buf_.find('\n'); nl != std::string::npos) {
        std::string line = out_buf_.substr(0, nl);
        out_seen_ += out_buf_.substr(0, nl + 1);
        out_buf_.erase(0, nl + 1);
        return line;
      }
      int left = remaining(deadline);
      if (left <= 0 || !pump(left)) return {};
    }
  }

  // Sends `sig` and collects the rest of the output and the exit status.
  CliResult finish(int sig = 0, int timeout_ms = 20000) {
    if (in_ >= 0) {
      close(in_);
      in_ = -1;
    }
    if (sig) kill(pid_, sig);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    CliResult r;
    while (out_ >= 0 || err_ >= 0) {
      int left = remaining(deadline);
      if (left <= 0) {
        r.timed_out = true;
        kill(pid_, SIGKILL);
        break;
      }
      pump(left);
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = out_seen_ + out_buf_;
    r.err = err_buf_;
    return r;
  }

 private:
  static int remaining(std::chrono::steady_clock::time_point deadline) {
    return static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
  }

  // Waits for output on either pipe; false when both are closed or nothing came in time.
  bool pump(int timeout_ms) {
    pollfd fds[2];
    int n = 0;
    if (out_ >= 0) fds[n++] = {out_, POLLIN, 0};
    if (err_ >= 0) fds[n++] = {err_, POLLIN, 0};
    if (n == 0) return false;
    if (poll(fds, n, timeout_ms) <= 0) return false;
    for (int i = 0; i < n; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      auto got = read(fds[i].fd, buf, sizeof buf);
      bool is_out = fds[i].fd == out_;
      if (got <= 0) {
        close(fds[i].fd);
        (is_out ? out_ : err_) = -1;
      } else {
        (is_out ? out_buf_ : err_buf_).append(buf, static_cast<std::size_t>(got));
      }
    }
    return true;
  }

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string out_buf_, out_seen_, err_buf_;
};

// Runs the binary to the end with `input` on standard input.
inline CliResult run_cli(const std::vector<std::string>& args, const std::string& input = "",
                         std::map<std::string, std::string> env = {}) {
  CliProcess p(args, std::move(env));
  p.send(input);
  return p.finish();
}

}  // namespace cp::test
