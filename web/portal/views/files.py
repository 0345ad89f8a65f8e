"""Evidence files, served only after checking the account may see the file's unit; always as an
attachment with ``nosniff``, except PDF/images asked for inside the page (``?xem=1``), whose
type was checked by content at upload."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse

from web.store import services

from ..access import portal_view
from ..uploads import sniff_inline


@portal_view
def download(request: HttpRequest, file_id: int) -> HttpResponse:
    record, handle = services.open_file(request.user, file_id)  # refuses another unit's account
    inline = request.GET.get("xem") == "1" and sniff_inline(record.content_type)
    response = FileResponse(handle, content_type=record.content_type if inline else "application/octet-stream")
    disposition = "inline" if inline else "attachment"
    ascii_name = record.original_name.encode("ascii", "ignore").decode() or f"tep-{record.pk}"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    response["Content-Disposition"] = f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(record.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(record.size)
    return response
