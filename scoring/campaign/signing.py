"""The server's signing key: every audit entry's hash is signed with Ed25519.

The key is a file outside the database (``PARINDEX_SIGNING_KEY``, else the path in
``web.settings``), created with permissions 0600 when a campaign is initialised and the file
is missing. Write access to the database alone therefore cannot forge an entry: a rewritten
entry carries a signature that the server's public key does not accept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from criteria import InputError

VARIABLE = "PARINDEX_SIGNING_KEY"


def key_path() -> Path:
    given = os.environ.get(VARIABLE, "").strip()
    return Path(given).expanduser() if given else Path(settings.PARINDEX_SIGNING_KEY)


@dataclass(frozen=True)
class Signer:
    private: Ed25519PrivateKey
    path: Path

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    def sign(self, digest: str) -> str:
        return self.private.sign(digest.encode("ascii")).hex()

    def fingerprint(self) -> str:
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return raw.hex()


def accepts(public: Ed25519PublicKey, digest: str, signature: str) -> bool:
    try:
        public.verify(bytes.fromhex(signature), digest.encode("ascii"))
    except (InvalidSignature, ValueError):
        return False
    return True


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first: use theirs
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def load_signer(create: bool = False) -> Signer:
    """The signing key; ``create`` makes it (0600) when missing. Refuses an unreadable key in Vietnamese."""
    path = key_path()
    if not path.exists():
        if not create:
            raise InputError.single(str(path), "", f"thiếu tệp khóa ký nhật ký (đặt {VARIABLE}, hoặc chép tệp khóa "
                                                   "của máy chủ vào đây); không thể ghi vào chiến dịch")
        try:
            _create(path)
        except OSError as exc:
            raise InputError.single(str(path), "", f"không tạo được tệp khóa ký nhật ký ({exc.strerror})") from None
    if path.stat().st_mode & 0o077:
        raise InputError.single(str(path), "", "tệp khóa ký nhật ký phải chỉ chủ sở hữu đọc được (chmod 600)")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError):
        raise InputError.single(str(path), "", "tệp khóa ký nhật ký hỏng hoặc không phải khóa Ed25519") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError.single(str(path), "", "tệp khóa ký nhật ký không phải khóa Ed25519")
    return Signer(key, path)


def public_key() -> Ed25519PublicKey | None:
    """The server's public key, or None when the key file is not on this machine."""
    path = key_path()
    if not path.exists():
        return None
    return load_signer().public
