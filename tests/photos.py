"""Photos as a phone takes them, for the tests: a JPEG with the place (GPS) and the time
written by the camera, turned on its side by the Orientation tag, and a serial number
that the service must not keep."""

from __future__ import annotations

import io

from PIL import ExifTags, Image

#: Where the photo was "taken": a commune of Quảng Trị (16.75° N, 107.19° E).
LATITUDE = (16.0, 45.0, 0.0)
LONGITUDE = (107.0, 11.0, 24.0)
TAKEN_AT = "2026:11:20 09:15:00"
SERIAL = "SN-CAMERA-0042"


def phone_photo(width: int = 1800, height: int = 1200, colour: str = "#c08040") -> bytes:
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 200):
        image.paste("#305070", (x, 0, x + 40, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.BodySerialNumber] = SERIAL
    exif[ExifTags.Base.DateTime] = TAKEN_AT
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: LONGITUDE,
    }
    exif[ExifTags.Base.ExifOffset] = {ExifTags.Base.DateTimeOriginal: TAKEN_AT}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()
