#include "web/download.h"

#include <httplib.h>
#include <gtest/gtest.h>

namespace amiable::web {
namespace {

TEST(DownloadTest, AlwaysAnAttachmentNamedWithTheSniffedTypesExtension) {
  httplib::Response res;
  SendDownload(res, "scan", "application/pdf", "%PDF-1.4");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.get_header_value("Content-Disposition"),
            "attachment; filename=\"scan.pdf\"; filename*=UTF-8''scan.pdf");
  EXPECT_EQ(res.get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res.get_header_value("Content-Security-Policy"), "sandbox; default-src 'none'");
  EXPECT_EQ(res.get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(res.body, "%PDF-1.4");

  httplib::Response kept;
  SendDownload(kept, "photo.jpeg", "image/jpeg", "\xff\xd8\xff");
  EXPECT_EQ(kept.get_header_value("Content-Disposition"),
            "attachment; filename=\"photo.jpeg\"; filename*=UTF-8''photo.jpeg");

  // An HTML file a sender attached is never shown inline.
  httplib::Response html;
  SendDownload(html, "page", "text/html", "<script>alert(1)</script>");
  EXPECT_EQ(html.get_header_value("Content-Disposition"),
            "attachment; filename=\"page.html\"; filename*=UTF-8''page.html");
  EXPECT_EQ(html.get_header_value("X-Content-Type-Options"), "nosniff");

  // A PNG+HTML polyglot uploaded as "x.html": named by what it is.
  httplib::Response polyglot;
  SendDownload(polyglot, "x.html", "image/png", "\x89PNG\r\n\x1a\n<html><script>");
  EXPECT_EQ(polyglot.get_header_value("Content-Disposition"),
            "attachment; filename=\"x.png\"; filename*=UTF-8''x.png");
  EXPECT_EQ(polyglot.get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(polyglot.get_header_value("Content-Security-Policy"), "sandbox; default-src 'none'");

  httplib::Response unknown;
  SendDownload(unknown, "données", "", "x");
  EXPECT_EQ(unknown.get_header_value("Content-Type"), "application/octet-stream");
  EXPECT_EQ(unknown.get_header_value("Content-Disposition"),
            "attachment; filename=\"donn__es.bin\"; filename*=UTF-8''donn%C3%A9es.bin");
}

}  // namespace
}  // namespace amiable::web
