"""Photos from a phone, made fit to keep: any JPEG, PNG or WebP is turned upright, made no
larger than ``LONGEST_SIDE`` pixels and saved as JPEG. The stored copy keeps where and when
the photo was taken (the board reads them); the public copy keeps neither, nor anything
else the camera wrote."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from service.domain.errors import InvalidInput

#: The longest side of a stored photo, in pixels: enough to see the walls and the roof.
LONGEST_SIDE = 1600
#: An upload opening to more pixels than this is refused before it is decoded (a photo
#: bomb: a small file that decodes to gigabytes).
MAX_PIXELS = 60_000_000
FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
_TIME_TAGS = (ExifTags.Base.DateTimeOriginal, ExifTags.Base.OffsetTimeOriginal)


@dataclass(frozen=True)
class Prepared:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Taken:
    """Where and when a photo was taken, as its camera wrote it (None when it did not)."""

    at: str | None
    latitude: float | None
    longitude: float | None


def _refused(why: str) -> InvalidInput:
    return InvalidInput("photo", why)


def _opened(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise _refused(
                    f"Ảnh có {image.width}×{image.height} điểm ảnh, quá lớn để lưu. "
                    "Hãy chụp lại ở độ phân giải thấp hơn hoặc thu nhỏ ảnh rồi gửi lại."
                )
            if image.format not in FORMATS:
                raise _refused(
                    f"Tệp là ảnh {image.format}; chỉ nhận ảnh JPEG, PNG hoặc WebP. "
                    "Hãy chụp bằng máy ảnh của điện thoại hoặc đổi định dạng rồi gửi lại."
                )
            image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Warning):
        raise _refused(
            "Tệp gửi lên không phải là ảnh đọc được (JPEG, PNG hoặc WebP), hoặc đã bị hỏng. "
            "Hãy chọn lại ảnh rồi gửi lại."
        ) from None
    return image


def _kept_exif(image: Image.Image) -> Image.Exif:
    """Of what the camera wrote, only the place (GPS) and the time the photo was taken."""
    source = image.getexif()
    kept = Image.Exif()
    gps = source.get_ifd(ExifTags.IFD.GPSInfo)
    if gps:
        kept[ExifTags.Base.GPSInfo] = dict(gps)
    details = source.get_ifd(ExifTags.IFD.Exif)
    times = {tag: details[tag] for tag in _TIME_TAGS if tag in details}
    if times:
        kept[ExifTags.Base.ExifOffset] = times
    if ExifTags.Base.DateTime in source:
        kept[ExifTags.Base.DateTime] = source[ExifTags.Base.DateTime]
    return kept


def prepare(data: bytes) -> Prepared:
    """The photo to keep: upright, at most ``LONGEST_SIDE`` pixels a side, JPEG, with its
    place and time; refuses what is not a readable photo (InvalidInput on ``photo``)."""
    image = _opened(data)
    kept = _kept_exif(image)
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=85, optimize=True, exif=kept.tobytes())
    return Prepared(out.getvalue(), upright.width, upright.height)


def public_copy(stored: bytes) -> bytes:
    """The stored photo with nothing the camera wrote: no place, no time."""
    image = Image.open(io.BytesIO(stored))
    out = io.BytesIO()
    image.save(out, "JPEG", quality="keep")
    return out.getvalue()


def _degrees(value: object, ref: object) -> float | None:
    try:
        d, m, s = (float(part) for part in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    sign = -1 if str(ref).upper() in ("S", "W") else 1
    return round(sign * (d + m / 60 + s / 3600), 6)


def taken(stored: bytes) -> Taken:
    """Where and when the stored photo was taken."""
    exif = Image.open(io.BytesIO(stored)).getexif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    details = exif.get_ifd(ExifTags.IFD.Exif)
    at = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    return Taken(
        at=str(at) if at else None,
        latitude=_degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef)),
        longitude=_degrees(
            gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef)
        ),
    )
