"""The window's sign-in: the dialog, the session controller (idle lock, expiry) and the
toolbar/status-bar widgets. Qt only here; the sign-in itself is
:mod:`app.services.signin` behind the facade."""
