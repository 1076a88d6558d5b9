// Reading a mailbox by IMAP (libcurl). The ImapClient interface lets the
// intake be tested with a fake; NewCurlImapClient is the real one.
//
// CurlImapClient:
// - url: "imap://host:port" or "imaps://host:port" (implicit TLS). With
//   imap:// to a host that is not loopback (IsLoopbackUrl, mailer.h),
//   STARTTLS is required (CURLUSESSL_ALL); on loopback it is plain.
// - One connection, reused across calls (one CURL easy handle kept): the
//   login happens once, and a folder stays selected between calls on it.
// - Folder names are UTF-8 ("Archive amiable", "Réclamations"); they are
//   sent in modified UTF-7 (RFC 3501 §5.1.3), escaped in URLs, quoted in
//   commands.
// - Not thread-safe: one client per thread.
//
// Errors: kUnavailable, message_id "mail.imap_failed" (the curl error or the
// server's reply, never the password) when the server cannot be reached or
// refuses the login; kNotFound ("mail.imap_no_folder") for an unknown folder.
#ifndef AMIABLE_MAIL_IMAP_H_
#define AMIABLE_MAIL_IMAP_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace amiable::mail {

struct ImapSettings {
  std::string url;  // "imap://host:port" or "imaps://host:port"
  std::string user;
  std::string password;
  long timeout_seconds = 30;
};

class ImapClient {
 public:
  virtual ~ImapClient() = default;
  // The UIDs of every message of `folder` (UID SEARCH ALL), ascending.
  virtual Result<std::vector<uint32_t>> Uids(std::string_view folder) = 0;
  // The raw message, byte for byte (marks it \Seen).
  virtual Result<std::string> Fetch(std::string_view folder, uint32_t uid) = 0;
  // Moves the messages `uids` of `folder` to the folder `to`, in one command
  // (UID MOVE, RFC 6851; without MOVE: UID COPY, UID STORE +FLAGS (\Deleted),
  // UID EXPUNGE). An absent uid is not an error.
  virtual Status Move(std::string_view folder, std::span<const uint32_t> uids,
                      std::string_view to) = 0;
  // Appends a message to `folder` (for tests and tools).
  virtual Status Append(std::string_view folder, std::string_view raw) = 0;
  // Creates `folder`; ok when it already exists.
  virtual Status Create(std::string_view folder) = 0;
};

std::unique_ptr<ImapClient> NewCurlImapClient(ImapSettings settings);

// The IMAP name of a UTF-8 folder name (modified UTF-7, RFC 3501 §5.1.3).
std::string ToImapUtf7(std::string_view utf8);

// "1,4,7:9" for {1, 4, 7, 8, 9} (any order, duplicates ignored).
std::string UidSet(std::span<const uint32_t> uids);

}  // namespace amiable::mail

#endif  // AMIABLE_MAIL_IMAP_H_
