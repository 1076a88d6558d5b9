// A rendered letter (letters/templates.h) laid out as a PDF letter on the
// fund's letterhead, with cairo and pango (fonts through fontconfig: DejaVu
// Sans, embedded as subsets):
//   - A4 portrait; the letterhead lines top left (the first in bold);
//   - the recipient's name and address in the window of a DL envelope with
//     the window on the right (French standard: x = 110 mm, y = 50 mm,
//     85 x 40 mm);
//   - the place and French date line, right-aligned below the window;
//   - "Objet :" and "Référence :" lines, then the body (paragraphs split by
//     blank lines, kept whole across pages when they fit), then the
//     signature from the middle of the page;
//   - "page n / N" at the foot of every page when there is more than one.
// Errors: kInternal when cairo fails. Deterministic for a given letter
// (the creation date is the letter's date). Thread-safe (no shared state).
#ifndef AMIABLE_LETTERS_PDF_H_
#define AMIABLE_LETTERS_PDF_H_

#include <string>

#include "core/error.h"
#include "letters/templates.h"

namespace amiable::letters {

// The PDF file's bytes.
Result<std::string> RenderPdf(const Rendered& letter);

}  // namespace amiable::letters

#endif  // AMIABLE_LETTERS_PDF_H_
