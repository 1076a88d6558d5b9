#!/usr/bin/env python3
"""The request body of the public form for scripts/bench-web.

Usage: web_form.py FORM_TOKEN BODY_OUT [ATTACHMENT_KIB]

Writes to BODY_OUT a multipart/form-data body as a browser sends it from
/demande: every field filled as a beneficiary would, the honeypot empty, and
one attachment, a valid PDF of ATTACHMENT_KIB KiB (100 by default; one page
and an embedded stream of random bytes, so that nothing compresses it).
Prints the Content-Type header value (with the boundary) on stdout.
"""

import os
import sys


def pdf(size):
    """A well-formed one-page PDF of about `size` bytes."""
    header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    page = b"BT /F1 12 Tf 72 720 Td (Piece jointe du banc d'essai) Tj ET"
    fixed = 900  # the objects, the cross-reference table and the trailer
    data = os.urandom(max(0, size - len(header) - len(page) - fixed))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 6 0 R >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Names [(scan.bin) << /Type /Filespec /F (scan.bin) /EF << /F 7 0 R >> >>] >>",
        b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    out = bytearray(header)
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    token, out = sys.argv[1], sys.argv[2]
    kib = int(sys.argv[3]) if len(sys.argv) == 4 else 100
    boundary = "----amiablebench" + os.urandom(8).hex()
    fields = [
        ("form_token", token),
        ("emitter", "allocataire"),
        ("requester_name", ""),
        ("requester_organisation", ""),
        ("allocataire_number", "1234567"),
        ("last_name", "Martin"),
        ("first_name", "Élodie"),
        ("email", "elodie.martin@exemple.fr"),
        ("phone", "04 73 00 00 00"),
        ("prior_complaint", "oui"),
        ("prior_complaint_on", "02/03/2020"),
        ("prior_complaint_reference", "REC-2020-0042"),
        ("benefits", "famille"),
        ("benefits", "logement"),
        ("description",
         "Ma prime d'activité a été suspendue en février 2020 alors que j'avais envoyé "
         "ma déclaration trimestrielle à temps. J'ai fait une réclamation le 2 mars "
         "sans réponse depuis. Je joins le courrier de la Caf et mon justificatif. "
         "Pouvez-vous examiner ma situation ?\r\nMerci d'avance."),
        ("consent", "oui"),
        ("site_web", ""),
    ]
    body = bytearray()
    for name, value in fields:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                 f"{value}\r\n").encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; "
             f"filename=\"courrier-caf.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    body += pdf(kib * 1024) + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    with open(out, "wb") as f:
        f.write(body)
    print(f"multipart/form-data; boundary={boundary}")


if __name__ == "__main__":
    main()
