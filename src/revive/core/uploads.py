"""Names of uploaded files: generated, never the uploader's.

A photo sent as `poly.html` was stored under that name, so anything that served the folder by
extension would have answered it as a web page. Uploads are stored under a random name with the
extension of the type their content was checked to be; whoever serves them sends that type (kept
on the row) with `X-Content-Type-Options: nosniff`.
"""

import uuid

EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}


def generated_name(content_type: str) -> str:
    """A random file name with the extension of the checked `content_type` (KeyError for any other type)."""
    return uuid.uuid4().hex + EXTENSIONS[content_type]
