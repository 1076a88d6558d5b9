#include "web/reception.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace amiable::web {
namespace {

TEST(ReceptionTest, FindsTheEndOfAHeadAcrossReads) {
  EXPECT_EQ(FindHeadEnd("GET / HTTP/1.1\r\n\r\nrest", 0), 18u);
  EXPECT_EQ(FindHeadEnd("GET / HTTP/1.1\r\n\r", 0), std::string_view::npos);
  // Searched up to 17 before the last byte came: still found.
  EXPECT_EQ(FindHeadEnd("GET / HTTP/1.1\r\n\r\n", 17), 18u);
}

TEST(ReceptionTest, ChecksTheHead) {
  ReceptionLimits l;
  l.head_max_bytes = 200;
  l.header_max_count = 3;
  l.request_line_max_bytes = 40;
  EXPECT_EQ(CheckHead("GET / HTTP/1.1\r\nHost: x\r\n\r\n", l).status, 0);
  HeadInfo post = CheckHead(
      "POST /a HTTP/1.1\r\ncontent-length:  12 \r\nExpect: 100-continue\r\n\r\n", l);
  EXPECT_EQ(post.status, 0);
  EXPECT_TRUE(post.has_content_length);
  EXPECT_EQ(post.content_length, 12u);
  EXPECT_TRUE(post.expect_continue);
  EXPECT_EQ(CheckHead("GET /" + std::string(50, 'a') + " HTTP/1.1\r\n\r\n", l).status, 414);
  EXPECT_EQ(CheckHead("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", l).status, 431);
  EXPECT_EQ(CheckHead("GET / HTTP/1.1\r\nA: " + std::string(200, 'a') + "\r\n\r\n", l).status,
            431);
  EXPECT_EQ(CheckHead("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", l).status, 411);
  EXPECT_EQ(CheckHead("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", l).status, 400);
  EXPECT_EQ(CheckHead("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", l)
                .status,
            400);
  EXPECT_EQ(CheckHead("GET / HTTP/1.1\r\n folded\r\n\r\n", l).status, 400);
  EXPECT_EQ(CheckHead("GET /\r\n\r\n", l).status, 400);
  EXPECT_EQ(CheckHead("GET / HTTP/1.1\r\nno colon\r\n\r\n", l).status, 400);
}

// A reception on a loopback port whose worker answers the size and a sum of
// the body it read from the stream.
class ReceptionServer {
 public:
  explicit ReceptionServer(ReceptionLimits limits) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 64);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    reception_ = std::make_unique<Reception>(
        fd_, 4, limits,
        [](httplib::Stream& s, bool last) {
          std::string all;
          char buf[7000];
          for (ssize_t n; (n = s.read(buf, sizeof buf)) > 0;) all.append(buf, static_cast<size_t>(n));
          const size_t head = all.find("\r\n\r\n") + 4;
          unsigned sum = 0;
          for (size_t i = head; i < all.size(); ++i) sum = sum * 31 + static_cast<unsigned char>(all[i]);
          const std::string body = std::to_string(all.size() - head) + " " + std::to_string(sum);
          const std::string out = "HTTP/1.1 200 OK\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body;
          s.write(out.data(), out.size());
          return !last;
        },
        [](int status, const std::string&) {
          return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\n\r\n";
        });
    thread_ = std::thread([this] { reception_->Run(); });
  }
  ~ReceptionServer() {
    reception_->Stop();
    thread_.join();
  }
  // Sends raw, reads until the peer closes or `responses` responses came.
  std::string Exchange(const std::string& raw, int responses) const {
    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port_));
    timeval tv{5, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a);
    for (size_t off = 0; off < raw.size();) {
      const ssize_t w = ::send(c, raw.data() + off, raw.size() - off, MSG_NOSIGNAL);
      if (w <= 0) break;
      off += static_cast<size_t>(w);
    }
    std::string got;
    char buf[4096];
    auto count = [&got] {
      int n = 0;
      for (size_t p = 0; (p = got.find("HTTP/1.1 ", p)) != std::string::npos; ++p) ++n;
      return n;
    };
    while (count() < responses || got.size() < got.rfind("\r\n\r\n") + 4 ||
           got.find("\r\n\r\n", got.rfind("HTTP/1.1 ")) == std::string::npos) {
      const ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
      if (count() >= responses && got.size() > got.rfind("\r\n\r\n") + 4) break;
    }
    ::close(c);
    return got;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::unique_ptr<Reception> reception_;
  std::thread thread_;
};

unsigned Sum(const std::string& body) {
  unsigned sum = 0;
  for (unsigned char ch : body) sum = sum * 31 + ch;
  return sum;
}

TEST(ReceptionTest, ServesPipelinedRequestsOnOneConnection) {
  ReceptionServer server(ReceptionLimits{});
  const std::string got = server.Exchange(
      "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n", 2);
  EXPECT_NE(got.find("\r\n\r\n3 " + std::to_string(Sum("abc"))), std::string::npos) << got;
  EXPECT_NE(got.find("\r\n\r\n0 0"), std::string::npos) << got;
}

TEST(ReceptionTest, SpoolsALargeBodyAndReadsItBackWhole) {
  ReceptionLimits l;
  l.memory_body_max_bytes = 1000;  // anything larger goes to a file
  ReceptionServer server(l);
  std::string body(3u << 20, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7 + i / 4096);
  const std::string got = server.Exchange(
      "POST /up HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body, 1);
  EXPECT_NE(got.find(std::to_string(body.size()) + " " + std::to_string(Sum(body))),
            std::string::npos)
      << got;
}

TEST(ReceptionTest, RefusesWhatTheLimitsForbid) {
  ReceptionLimits l;
  l.head_max_bytes = 1024;
  ReceptionServer server(l);
  EXPECT_EQ(server.Exchange("GET / HTTP/1.1\r\nA: " + std::string(2000, 'a') + "\r\n\r\n", 1)
                .substr(0, 12),
            "HTTP/1.1 431");
  EXPECT_EQ(server.Exchange("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 1)
                .substr(0, 12),
            "HTTP/1.1 411");
}

TEST(ReceptionTest, ClosesAHeadThatIsTooSlow) {
  ReceptionLimits l;
  l.head_timeout_seconds = 1;
  ReceptionServer server(l);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string got = server.Exchange("GET / HTTP/1.1\r\nHost: x\r\n", 1);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(got.substr(0, 12), "HTTP/1.1 408");
  EXPECT_LT(s, 3.0);
}

TEST(ReceptionTest, ClosesABodyThatIsTooSlow) {
  ReceptionLimits l;
  l.body_min_seconds = 1;
  ReceptionServer server(l);
  const std::string got =
      server.Exchange("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly a part", 1);
  EXPECT_EQ(got.substr(0, 12), "HTTP/1.1 408");
}

TEST(ReceptionTest, AnswersTooLargeWithoutReadingTheBody) {
  ReceptionLimits l;
  l.max_body_bytes = 10;
  ReceptionServer server(l);
  // The worker sees the head and an empty body (httplib answers 413 there).
  const std::string got = server.Exchange("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 1);
  EXPECT_NE(got.find("\r\n\r\n0 0"), std::string::npos) << got;
}

}  // namespace
}  // namespace amiable::web
