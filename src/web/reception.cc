// Reception: see reception.h. One thread runs an epoll loop over the
// listening socket, every connection not being served, an eventfd by which
// the workers give connections back, and a sweep of deadlines. Workers are a
// httplib::ThreadPool; each serves one complete request from a BufferedStream.
#include "web/reception.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace amiable::web {
namespace {

using Steady = std::chrono::steady_clock;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

void SetNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void AddressOf(const sockaddr_storage& addr, socklen_t len, std::string& ip, int& port) {
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, serv,
                  sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(serv);
    // An IPv4 client of a dual-stack socket: its IPv4 form.
    if (ip.rfind("::ffff:", 0) == 0 && ip.find('.') != std::string::npos) ip = ip.substr(7);
  }
}

// Opens an unlinked temporary file in dir (O_TMPFILE, else mkstemp + unlink).
int OpenSpool(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string path = dir + "/amiable-body-XXXXXX";
  fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(path.c_str());
  return fd;
}

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

enum class State { kIdle, kHead, kBody, kQueued, kServing, kDraining };

struct Conn {
  int fd = -1;
  std::string peer_ip, local_ip;
  int peer_port = 0, local_port = 0;
  State state = State::kIdle;
  Steady::time_point deadline;
  std::string buf;  // the head, once complete: exactly the head
  size_t searched = 0;
  HeadInfo info;
  bool too_large = false;  // 413: served with an empty body, then closed
  // The body: in memory (counted in the budget) or in a spool file.
  std::string body;
  size_t reserved = 0;
  int body_fd = -1;
  size_t body_got = 0;
  std::string leftover;  // pipelined bytes after this request
  size_t served = 0;
  bool heavy = false;  // counts in the spooled-requests admission
};

// What a worker reads and writes: the head, then the body, then EOF; writes
// go to the socket with a timeout.
class BufferedStream : public httplib::Stream {
 public:
  BufferedStream(Conn& c, int write_timeout_seconds) : c_(c), wt_ms_(write_timeout_seconds * 1000) {}

  bool is_readable() const override { return true; }
  bool is_writable() const override { return WaitWritable(); }

  ssize_t read(char* ptr, size_t size) override {
    if (pos_ < c_.buf.size()) {
      const size_t n = std::min(size, c_.buf.size() - pos_);
      std::memcpy(ptr, c_.buf.data() + pos_, n);
      pos_ += n;
      return static_cast<ssize_t>(n);
    }
    const size_t body_len = c_.too_large ? 0 : c_.info.content_length;
    const size_t off = pos_ - c_.buf.size();
    if (off >= body_len) return 0;
    const size_t n = std::min(size, body_len - off);
    if (c_.body_fd < 0) {
      std::memcpy(ptr, c_.body.data() + off, n);
      pos_ += n;
      return static_cast<ssize_t>(n);
    }
    const ssize_t r = ::pread(c_.body_fd, ptr, n, static_cast<off_t>(off));
    if (r > 0) pos_ += static_cast<size_t>(r);
    return r;
  }

  ssize_t write(const char* ptr, size_t size) override {
    size_t done = 0;
    while (done < size) {
      const ssize_t w = ::send(c_.fd, ptr + done, size - done, MSG_NOSIGNAL);
      if (w > 0) {
        done += static_cast<size_t>(w);
        continue;
      }
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && WaitWritable()) continue;
      return -1;
    }
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.peer_ip;
    port = c_.peer_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_ip;
    port = c_.local_port;
  }
  // httplib refuses sockets >= FD_SETSIZE when built with select(): the
  // socket is never selected on here, so a higher one is not given to it.
  socket_t socket() const override { return c_.fd < FD_SETSIZE ? c_.fd : 0; }

 private:
  bool WaitWritable() const {
    pollfd p{c_.fd, POLLOUT, 0};
    for (;;) {
      const int r = ::poll(&p, 1, wt_ms_);
      if (r < 0 && errno == EINTR) continue;
      return r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) == 0;
    }
  }

  Conn& c_;
  int wt_ms_;
  size_t pos_ = 0;
};

}  // namespace

size_t FindHeadEnd(std::string_view buf, size_t from) {
  from = from >= 3 ? from - 3 : 0;
  const size_t at = buf.find("\r\n\r\n", from);
  return at == std::string_view::npos ? std::string_view::npos : at + 4;
}

HeadInfo CheckHead(std::string_view head, const ReceptionLimits& limits) {
  HeadInfo info;
  if (head.size() > limits.head_max_bytes) {
    info.status = 431;
    return info;
  }
  size_t eol = head.find("\r\n");
  if (eol == std::string_view::npos) {
    info.status = 400;
    return info;
  }
  const std::string_view line = head.substr(0, eol);
  if (line.size() > limits.request_line_max_bytes) {
    info.status = 414;
    return info;
  }
  const size_t sp1 = line.find(' ');
  const size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp1 == 0 || sp2 == sp1 ||
      line.substr(sp2 + 1).rfind("HTTP/1.", 0) != 0) {
    info.status = 400;
    return info;
  }
  size_t count = 0;
  size_t pos = eol + 2;
  while (pos < head.size()) {
    eol = head.find("\r\n", pos);
    if (eol == std::string_view::npos) break;
    const std::string_view h = head.substr(pos, eol - pos);
    pos = eol + 2;
    if (h.empty()) break;  // the end of the head
    if (++count > limits.header_max_count || h.size() > 8192) {  // httplib's line limit
      info.status = 431;
      return info;
    }
    const size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0 || h.front() == ' ' || h.front() == '\t') {
      info.status = 400;  // no obsolete line folding
      return info;
    }
    const std::string_view name = h.substr(0, colon);
    const std::string_view value = Trim(h.substr(colon + 1));
    if (IEquals(name, "Content-Length")) {
      if (value.empty() || value.size() > 18 ||
          !std::all_of(value.begin(), value.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        info.status = 400;
        return info;
      }
      const size_t n = std::strtoull(std::string(value).c_str(), nullptr, 10);
      if (info.has_content_length && n != info.content_length) {
        info.status = 400;
        return info;
      }
      info.has_content_length = true;
      info.content_length = n;
    } else if (IEquals(name, "Transfer-Encoding")) {
      info.status = 411;
      return info;
    } else if (IEquals(name, "Expect")) {
      info.expect_continue = IEquals(value, "100-continue");
    }
  }
  return info;
}

struct Reception::Impl {
  Reception& self;
  int listen_fd;
  ReceptionLimits limits;
  ServeFn serve;
  RefuseFn refuse;
  std::unique_ptr<httplib::ThreadPool> pool;
  int epfd = -1;
  int evfd = -1;
  std::unordered_map<int, std::unique_ptr<Conn>> conns;
  std::deque<Conn*> heavy_queue;  // complete spooled requests waiting for a slot
  size_t heavy_in_flight = 0;
  size_t max_heavy = 4;
  size_t serving = 0;
  std::atomic<bool> stop{false};
  bool pool_down = false;
  std::mutex mu;
  std::vector<std::pair<Conn*, bool>> returned;  // (connection, keep open)
  std::vector<char> chunk = std::vector<char>(64u << 10);

  Impl(Reception& r, int fd, size_t threads, ReceptionLimits l, ServeFn s, RefuseFn f)
      : self(r), listen_fd(fd), limits(std::move(l)), serve(std::move(s)), refuse(std::move(f)) {
    pool = std::make_unique<httplib::ThreadPool>(threads > 0 ? threads : 1);
    if (limits.spool_dir.empty()) {
      const char* t = std::getenv("TMPDIR");
      limits.spool_dir = (t != nullptr && *t != '\0') ? t : "/tmp";
    }
    max_heavy = std::max<size_t>(1, limits.spooled_concurrency);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    Watch(listen_fd);
    Watch(evfd);
  }

  ~Impl() {
    if (!pool_down) {  // Run never ran: its threads still wait, the socket is open
      pool->shutdown();
      ::close(listen_fd);
    }
    if (epfd >= 0) ::close(epfd);
    if (evfd >= 0) ::close(evfd);
  }

  void Watch(int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
  }
  void Unwatch(int fd) { epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nullptr); }

  void ReleaseBody(Conn& c) {
    if (c.reserved > 0) {
      self.memory_in_use_.fetch_sub(c.reserved);
      c.reserved = 0;
    }
    std::string().swap(c.body);
    if (c.body_fd >= 0) {
      ::close(c.body_fd);
      c.body_fd = -1;
    }
    c.body_got = 0;
  }

  void Close(Conn* c) {
    ReleaseBody(*c);
    Unwatch(c->fd);
    ::close(c->fd);
    conns.erase(c->fd);  // destroys c
    self.open_.fetch_sub(1);
  }

  // Answers and closes: half-closes after the response, and reads what the
  // client still sends for a moment so that it sees the response (a close
  // with unread bytes would reset the connection).
  void Drain(Conn* c) {
    ReleaseBody(*c);
    ::shutdown(c->fd, SHUT_WR);
    c->state = State::kDraining;
    c->deadline = Steady::now() + std::chrono::seconds(2);
  }

  void Refuse(Conn* c, int status) {
    const std::string response = refuse(status, c->peer_ip);
    (void)::send(c->fd, response.data(), response.size(), MSG_NOSIGNAL);  // best effort
    Drain(c);
  }

  void Accept() {
    for (;;) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;  // EAGAIN, or out of descriptors: the next round retries
      }
      if (conns.size() >= limits.max_connections) {
        ::close(fd);
        continue;
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto c = std::make_unique<Conn>();
      c->fd = fd;
      AddressOf(addr, len, c->peer_ip, c->peer_port);
      sockaddr_storage local{};
      socklen_t llen = sizeof local;
      if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) == 0) {
        AddressOf(local, llen, c->local_ip, c->local_port);
      }
      c->deadline = Steady::now() + std::chrono::seconds(limits.head_timeout_seconds);
      Watch(fd);
      conns.emplace(fd, std::move(c));
      self.open_.fetch_add(1);
    }
  }

  void Readable(Conn* c) {
    // At most kRounds reads per wake-up and connection: a fast sender must
    // not keep the loop from the others (epoll is level-triggered: the rest
    // is read at the next round).
    constexpr int kRounds = 4;
    if (c->state == State::kDraining) {
      for (int round = 0; round < kRounds; ++round) {
        const ssize_t r = ::recv(c->fd, chunk.data(), chunk.size(), 0);
        if (r > 0) continue;
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        Close(c);
        return;
      }
    }
    if (c->state == State::kIdle || c->state == State::kHead) {
      for (;;) {
        const ssize_t r = ::recv(c->fd, chunk.data(), chunk.size(), 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (r <= 0) {
          Close(c);
          return;
        }
        if (c->state == State::kIdle) {
          c->state = State::kHead;
          c->deadline = Steady::now() + std::chrono::seconds(limits.head_timeout_seconds);
        }
        c->buf.append(chunk.data(), static_cast<size_t>(r));
        if (HeadProgress(c) || c->state != State::kHead) return;
      }
      return;
    }
    if (c->state == State::kBody) {
      for (int round = 0; round < kRounds; ++round) {
        const ssize_t r = ::recv(c->fd, chunk.data(), chunk.size(), 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (r <= 0) {
          Close(c);
          return;
        }
        if (!Feed(c, chunk.data(), static_cast<size_t>(r))) return;
        if (c->body_got == c->info.content_length) {
          Complete(c);
          return;
        }
      }
    }
  }

  // Looks for the end of the head in c->buf. Returns true when c was closed
  // or changed state (refused, body, dispatched).
  bool HeadProgress(Conn* c) {
    const size_t end = FindHeadEnd(c->buf, c->searched);
    if (end == std::string::npos) {
      c->searched = c->buf.size();
      const size_t first_eol = c->buf.find("\r\n");
      if (first_eol == std::string::npos && c->buf.size() > limits.request_line_max_bytes) {
        Refuse(c, 414);
        return true;
      }
      if (c->buf.size() > limits.head_max_bytes) {
        Refuse(c, 431);
        return true;
      }
      return false;
    }
    std::string rest = c->buf.substr(end);
    c->buf.resize(end);
    c->info = CheckHead(c->buf, limits);
    if (c->info.status != 0) {
      Refuse(c, c->info.status);
      return true;
    }
    const size_t len = c->info.content_length;
    if (len > limits.max_body_bytes) {
      c->too_large = true;  // httplib answers 413 without a body to read
      Dispatch(c);
      return true;
    }
    if (len == 0) {
      c->leftover = std::move(rest);
      Complete(c);
      return true;
    }
    if (len <= limits.memory_body_max_bytes &&
        self.memory_in_use_.load() + len <= limits.memory_budget_bytes) {
      self.memory_in_use_.fetch_add(len);
      c->reserved = len;
      c->body.reserve(len);
    } else {
      c->body_fd = OpenSpool(limits.spool_dir);
      if (c->body_fd < 0) {
        Refuse(c, 503);
        return true;
      }
      c->heavy = true;
    }
    c->state = State::kBody;
    const auto seconds = std::max<size_t>(static_cast<size_t>(limits.body_min_seconds),
                                          len / std::max<size_t>(1, limits.body_min_rate));
    c->deadline = Steady::now() + std::chrono::seconds(seconds);
    if (!rest.empty() && !Feed(c, rest.data(), rest.size())) return true;
    if (c->body_got == len) {
      Complete(c);
      return true;
    }
    if (c->info.expect_continue) {
      static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      (void)::send(c->fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL);
    }
    return true;
  }

  // Adds received bytes to the body; those beyond it are the next request's.
  bool Feed(Conn* c, const char* p, size_t n) {
    const size_t want = c->info.content_length - c->body_got;
    const size_t take = std::min(want, n);
    if (c->body_fd >= 0) {
      if (!WriteAll(c->body_fd, p, take)) {
        Refuse(c, 503);
        return false;
      }
    } else {
      c->body.append(p, take);
    }
    c->body_got += take;
    if (take < n) c->leftover.append(p + take, n - take);
    return true;
  }

  void Complete(Conn* c) {
    if (c->heavy && heavy_in_flight >= max_heavy) {
      Unwatch(c->fd);
      c->state = State::kQueued;
      heavy_queue.push_back(c);
      return;
    }
    Dispatch(c);
  }

  void Dispatch(Conn* c) {
    if (c->state != State::kQueued) Unwatch(c->fd);
    if (c->heavy) ++heavy_in_flight;
    c->state = State::kServing;
    ++serving;
    const bool last = c->too_large || c->served + 1 >= limits.keep_alive_max_count || stop.load();
    pool->enqueue([this, c, last] {
      bool keep = false;
      {
        BufferedStream stream(*c, limits.write_timeout_seconds);
        keep = serve(stream, last) && !last;
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        returned.emplace_back(c, keep);
      }
      const uint64_t one = 1;
      (void)::write(evfd, &one, sizeof one);
    });
  }

  void TakeReturned() {
    uint64_t n = 0;
    (void)::read(evfd, &n, sizeof n);
    std::vector<std::pair<Conn*, bool>> back;
    {
      std::lock_guard<std::mutex> lock(mu);
      back.swap(returned);
    }
    for (auto [c, keep] : back) {
      --serving;
      if (c->heavy) {
        --heavy_in_flight;
        c->heavy = false;
      }
      ++c->served;
      if (!keep || stop.load()) {
        Watch(c->fd);
        Drain(c);
        continue;
      }
      ReleaseBody(*c);
      c->buf = std::move(c->leftover);
      c->leftover.clear();
      c->searched = 0;
      c->info = HeadInfo{};
      c->too_large = false;
      Watch(c->fd);
      if (c->buf.empty()) {
        c->state = State::kIdle;
        c->deadline = Steady::now() + std::chrono::seconds(limits.idle_timeout_seconds);
      } else {
        c->state = State::kHead;  // pipelined: the next head is (partly) here
        c->deadline = Steady::now() + std::chrono::seconds(limits.head_timeout_seconds);
        HeadProgress(c);
      }
    }
    while (!heavy_queue.empty() && heavy_in_flight < max_heavy) {
      Conn* c = heavy_queue.front();
      heavy_queue.pop_front();
      Dispatch(c);
    }
  }

  void Sweep() {
    const auto now = Steady::now();
    std::vector<Conn*> late;
    for (auto& [fd, c] : conns) {
      if (c->state == State::kServing || c->state == State::kQueued) continue;
      if (now >= c->deadline) late.push_back(c.get());
    }
    for (Conn* c : late) {
      if (c->state == State::kHead || c->state == State::kBody) {
        Refuse(c, 408);
      } else {
        Close(c);  // idle keep-alive, or drained long enough
      }
    }
  }

  void Run() {
    SetNonBlocking(listen_fd);
    std::vector<epoll_event> events(256);
    auto last_sweep = Steady::now();
    bool listening = true;
    for (;;) {
      if (stop.load() && listening) {
        Unwatch(listen_fd);
        ::close(listen_fd);
        listening = false;
        std::vector<Conn*> idle;
        for (auto& [fd, c] : conns) {
          if (c->state != State::kServing && c->state != State::kQueued) idle.push_back(c.get());
        }
        for (Conn* c : idle) Close(c);
      }
      if (!listening && serving == 0 && heavy_queue.empty()) break;
      const int n = epoll_wait(epfd, events.data(), static_cast<int>(events.size()), 250);
      for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == listen_fd && listening) {
          Accept();
        } else if (fd == evfd) {
          TakeReturned();
        } else {
          auto it = conns.find(fd);
          if (it != conns.end()) Readable(it->second.get());
        }
      }
      if (Steady::now() - last_sweep >= std::chrono::milliseconds(250)) {
        Sweep();
        last_sweep = Steady::now();
      }
    }
    std::vector<Conn*> rest;
    for (auto& [fd, c] : conns) rest.push_back(c.get());
    for (Conn* c : rest) Close(c);
    pool->shutdown();
    pool_down = true;
  }
};

Reception::Reception(int listen_fd, size_t threads, ReceptionLimits limits, ServeFn serve,
                     RefuseFn refuse)
    : impl_(std::make_unique<Impl>(*this, listen_fd, threads, std::move(limits), std::move(serve),
                                   std::move(refuse))) {}

Reception::~Reception() = default;

void Reception::Run() {
  running_.store(true);
  impl_->Run();
  running_.store(false);
}

void Reception::Stop() {
  impl_->stop.store(true);
  const uint64_t one = 1;
  (void)::write(impl_->evfd, &one, sizeof one);
}

}  // namespace amiable::web
