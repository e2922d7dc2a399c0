#include "modules/notifications/smtp.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <stdexcept>

#include "core/util.hpp"

namespace cp::modules::notifications {

namespace {

std::string base64(std::string_view in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += tbl[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// Body parts are base64 in lines of 76, as MIME asks.
std::string base64_lines(std::string_view in) {
  auto b = base64(in);
  std::string out;
  for (std::size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

// A header value that may hold Welsh letters (ŵ, ŷ) goes as RFC 2047 encoded words, split so no
// word breaks a UTF-8 character and no line runs long.
std::string encode_header(const std::string& v) {
  bool ascii = true;
  for (unsigned char c : v)
    if (c >= 0x80 || c < 0x20) ascii = false;
  if (ascii) return v;
  std::string out;
  std::size_t i = 0;
  while (i < v.size()) {
    std::size_t end = std::min(v.size(), i + 45);
    while (end < v.size() && (static_cast<unsigned char>(v[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(std::string_view(v).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

bool header_safe(const std::string& s) { return s.find_first_of("\r\n") == std::string::npos; }

std::string rfc5322_date(std::int64_t now) {
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

class Conn {
 public:
  Conn(const std::string& host, int port, int timeout) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res)
      throw SmtpError("cannot resolve mail server " + host);
    for (auto* p = res; p; p = p->ai_next) {
      int fd = ::socket(p->ai_family, p->ai_socktype, p->ai_protocol);
      if (fd < 0) continue;
      timeval tv{timeout, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      if (::connect(fd, p->ai_addr, p->ai_addrlen) == 0) {
        fd_ = fd;
        break;
      }
      ::close(fd);
    }
    freeaddrinfo(res);
    if (fd_ < 0) throw SmtpError("cannot connect to mail server " + host + ":" + std::to_string(port));
  }
  ~Conn() {
    if (fd_ >= 0) ::close(fd_);
  }
  void send(const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
      auto n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) throw SmtpError("mail server connection lost while sending");
      off += static_cast<std::size_t>(n);
    }
  }
  // Reads one reply (all its lines) and returns its code; `text` gets the last line.
  int reply(std::string& text) {
    for (;;) {
      auto line = read_line();
      if (line.size() < 3) throw SmtpError("malformed reply from mail server: " + line);
      if (line.size() == 3 || line[3] == ' ') {
        text = line;
        return std::atoi(line.substr(0, 3).c_str());
      }
    }
  }
  void expect(int want, const std::string& what) {
    std::string text;
    int code = reply(text);
    if (code != want) throw SmtpError("mail server refused " + what + ": " + text);
  }

 private:
  std::string read_line() {
    for (;;) {
      auto pos = buf_.find("\r\n");
      if (pos != std::string::npos) {
        auto line = buf_.substr(0, pos);
        buf_.erase(0, pos + 2);
        return line;
      }
      if (buf_.size() > 64 * 1024) throw SmtpError("reply from mail server too long");
      char tmp[1024];
      auto n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) throw SmtpError("mail server closed the connection or did not answer in time");
      buf_.append(tmp, static_cast<std::size_t>(n));
    }
  }
  int fd_ = -1;
  std::string buf_;
};

}  // namespace

std::string compose(const Mail& m, const std::string& message_id, std::int64_t now) {
  if (!header_safe(m.from) || !header_safe(m.to) || !header_safe(m.subject)) throw SmtpError("line break in a mail header");
  std::string boundary = "=_cp_" + message_id;
  std::string out;
  out += "From: " + m.from + "\r\n";
  out += "To: " + m.to + "\r\n";
  out += "Subject: " + encode_header(m.subject) + "\r\n";
  out += "Date: " + rfc5322_date(now) + "\r\n";
  out += "Message-ID: <" + message_id + "@coproduce>\r\n";
  out += "MIME-Version: 1.0\r\n";
  if (!m.lang.empty()) out += "Content-Language: " + m.lang + "\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(m.text);
  out += "--" + boundary + "\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(m.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

void smtp_send(const std::string& host, int port, const Mail& m, int timeout_seconds) {
  auto valid_addr = [](const std::string& a) {
    return !a.empty() && a.find('@') != std::string::npos && a.find_first_of("<>\r\n \t") == std::string::npos;
  };
  if (!valid_addr(m.from) || !valid_addr(m.to)) throw SmtpError("bad email address");
  auto now = now_seconds();
  // Only base64 lines follow the headers, so no line of the body can start with a dot.
  auto message = compose(m, random_token(12), now);
  Conn c(host, port, timeout_seconds);
  c.expect(220, "the connection");
  c.send("EHLO coproduce\r\n");
  c.expect(250, "EHLO");
  c.send("MAIL FROM:<" + m.from + ">\r\n");
  c.expect(250, "the sender");
  c.send("RCPT TO:<" + m.to + ">\r\n");
  std::string text;
  int code = c.reply(text);
  if (code != 250 && code != 251) throw SmtpError("mail server refused the recipient: " + text);
  c.send("DATA\r\n");
  c.expect(354, "DATA");
  c.send(message + ".\r\n");
  c.expect(250, "the message");
  c.send("QUIT\r\n");
}

}  // namespace cp::modules::notifications
