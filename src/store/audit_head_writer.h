// Writing the audit trail's head file off the committing thread: two fsyncs
// and a rename cost about 20 ms on this machine's disk, five times a SQLite
// commit, and every write of the store appends to the trail. A committing
// thread publishes its head and returns; one background thread per process
// writes the latest head of each file (audit_chain.h WriteHead, which never
// moves a head backwards). The head file may lag the database by one write;
// a lag never makes `audit verify` report anything, it only leaves the last
// rows' cut unseen until the next write. FlushHeads waits until everything
// published is written; it runs at exit (atexit) and before verification.
// Thread-safe.
#ifndef AMIABLE_STORE_AUDIT_HEAD_WRITER_H_
#define AMIABLE_STORE_AUDIT_HEAD_WRITER_H_

#include <string>

#include "store/audit_chain.h"

namespace amiable::audit {

void PublishHead(const std::string& path, const Head& h);
void FlushHeads();

}  // namespace amiable::audit

#endif  // AMIABLE_STORE_AUDIT_HEAD_WRITER_H_
