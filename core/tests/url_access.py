from accounts.roles import Role
from core.testing.access import LOGIN, Access, Public

URL_ACCESS = {
    "core:home": Public(),
    "core:start": Access(LOGIN),
    "core:healthz": Public(),
    "core:mail_log": Access(Role.STAFF),
    "core:figures": Access(Role.STAFF),
    "core:imprint": Public(),
    "core:privacy": Public(),
    "core:accessibility": Public(),
    "set_language": Public(method="post", data={"language": "en", "next": "/"}),
}
