// A small SMTP client for the notification sender: plain SMTP to the relay the deployment names
// (usually a local MTA or the provider's relay on a private network), one message per connection.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace cp::modules::notifications {

struct Mail {
  std::string from, to, subject, text, html, lang;
};

// Thrown when the server cannot be reached or refuses the message; what() has its reply.
struct SmtpError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The message as it goes over the wire (RFC 5322 with a MIME multipart/alternative body, UTF-8,
// base64 parts, an RFC 2047 encoded subject). Exposed for tests.
std::string compose(const Mail& m, const std::string& message_id, std::int64_t now);

void smtp_send(const std::string& host, int port, const Mail& m, int timeout_seconds = 15);

}  // namespace cp::modules::notifications
