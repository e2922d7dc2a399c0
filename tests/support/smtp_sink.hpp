// A real SMTP server on 127.0.0.1 for tests: it speaks enough of RFC 5321 (EHLO/HELO, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT) to take mail from any client and keeps each message whole, so a test can
// check what a real mail relay would have received. It can also refuse mail for a while, so retry
// behaviour is tested against a server that answers 451.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cp::test {

struct SunkMail {
  std::string from;
  std::vector<std::string> to;
  std::string data;  // the message as sent, dot-unstuffed, CRLF line ends
};

class SmtpSink {
 public:
  SmtpSink() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0)
      throw std::runtime_error("smtp sink: cannot listen");
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~SmtpSink() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  // While true, the sink answers 451 to DATA (a temporary failure).
  void refuse(bool on) { refuse_ = on; }
  std::vector<SunkMail> mails() {
    std::lock_guard lock(mu_);
    return mails_;
  }

 private:
  void serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) {
        if (stop_) return;
        continue;
      }
      timeval tv{5, 0};
      setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      session(c);
      ::close(c);
    }
  }
  static void say(int c, const std::string& s) { (void)::send(c, s.data(), s.size(), MSG_NOSIGNAL); }
  static bool line(int c, std::string& buf, std::string& out) {
    for (;;) {
      auto pos = buf.find("\r\n");
      if (pos != std::string::npos) {
        out = buf.substr(0, pos);
        buf.erase(0, pos + 2);
        return true;
      }
      char tmp[4096];
      auto n = ::recv(c, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buf.append(tmp, static_cast<std::size_t>(n));
    }
  }
  void session(int c) {
    std::string buf, l;
    SunkMail m;
    say(c, "220 sink.test ESMTP\r\n");
    while (line(c, buf, l)) {
      std::string cmd = l.substr(0, 4);
      for (auto& ch : cmd) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (cmd == "EHLO" || cmd == "HELO") say(c, "250-sink.test\r\n250 8BITMIME\r\n");
      else if (cmd == "MAIL") {
        m = {};
        m.from = l.substr(l.find(':') + 1);
        say(c, "250 OK\r\n");
      } else if (cmd == "RCPT") {
        m.to.push_back(l.substr(l.find(':') + 1));
        say(c, "250 OK\r\n");
      } else if (cmd == "DATA") {
        if (refuse_) {
          say(c, "451 try again later\r\n");
          continue;
        }
        say(c, "354 go ahead\r\n");
        std::string data;
        while (line(c, buf, l) && l != ".") data += (l.rfind("..", 0) == 0 ? l.substr(1) : l) + "\r\n";
        {
          std::lock_guard lock(mu_);
          m.data = data;
          mails_.push_back(m);
        }
        say(c, "250 queued\r\n");
      } else if (cmd == "RSET" || cmd == "NOOP") say(c, "250 OK\r\n");
      else if (cmd == "QUIT") {
        say(c, "221 bye\r\n");
        return;
      } else say(c, "502 not implemented\r\n");
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false}, refuse_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<SunkMail> mails_;
};

}  // namespace cp::test
