"""A real SMTP server for the test suite (aiosmtpd): STARTTLS, AUTH required after TLS.

One listener offers AUTH PLAIN and LOGIN, another only LOGIN, so both client paths are exercised; a third
offers no STARTTLS at all and would take a password in clear (the client must refuse to send one).
Every accepted message is written to MAILDIR as JSON {from, to, subject, text} for the tests to read.
"""
import argparse, asyncio, email, email.policy, json, os, ssl, time, uuid
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, maildir):
        self.maildir = maildir

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "from": envelope.mail_from, "to": envelope.rcpt_tos, "subject": str(message["subject"]),
            "text": body.get_content() if body else "", "authenticated": session.authenticated,
            "tls": session.ssl is not None, "received": time.time(),
        }
        path = os.path.join(self.maildir, f"{time.time_ns()}-{uuid.uuid4().hex}.json")
        with open(path + ".tmp", "w") as handle:
            json.dump(record, handle)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    for name in ("--port", "--login-only-port", "--plain-port"):
        parser.add_argument(name, type=int, required=True)
    for name in ("--cert", "--key", "--maildir", "--user", "--password"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
            and auth_data.password.decode() == args.password
        # handled=False makes aiosmtpd send the 535 reply itself; its default leaves the client waiting.
        return AuthResult(success=ok, handled=False)

    controllers = []
    for port, excluded in ((args.port, []), (args.login_only_port, ["PLAIN"])):
        controller = Controller(Saver(args.maildir), hostname="127.0.0.1", port=port, tls_context=context,
                                require_starttls=True, auth_required=True, auth_require_tls=True,
                                authenticator=authenticator, auth_exclude_mechanism=excluded)
        controller.start()
        controllers.append(controller)
    # A relay without STARTTLS that would accept a password in clear: the client must refuse to send it.
    plain = Controller(Saver(args.maildir), hostname="127.0.0.1", port=args.plain_port, auth_required=False,
                       auth_require_tls=False, authenticator=authenticator)
    plain.start()
    controllers.append(plain)
    open(os.path.join(args.maildir, "ready"), "w").close()
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        for controller in controllers:
            controller.stop()


if __name__ == "__main__":
    main()
