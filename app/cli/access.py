"""Taking access back from the command line: ``sipas user disable|enable|reset-password``
and ``sipas token list|create|revoke`` (the same service functions as the API)."""

from __future__ import annotations

from typing import Annotated

import typer

from app.auth import accounts, service
from app.auth.schemas import TokenCreate
from app.cli.common import run_service

token_cli = typer.Typer(help="API tokens and keys: list, create, revoke.", no_args_is_help=True)

ExpiresOption = Annotated[
    int | None, typer.Option(help="the token stops working after this many days")
]


def user_disable(username: str) -> None:
    """Disable an account: its page sessions end now and its tokens stop working."""
    ended = run_service(accounts.set_active, username, False, actor=None)
    typer.echo(
        f"đã khóa tài khoản {username!r}; {ended} phiên đăng nhập đã kết thúc, "
        "mã truy cập bị từ chối"
    )


def user_enable(username: str) -> None:
    """Enable a disabled account again (its unexpired, unrevoked tokens work again)."""
    run_service(accounts.set_active, username, True, actor=None)
    typer.echo(f"đã mở khóa tài khoản {username!r}")


def user_reset_password(
    username: str,
    password: Annotated[
        str | None, typer.Option(help="the new password (default: a random one, printed)")
    ] = None,
) -> None:
    """Give an account a new password and end its page sessions."""
    new = run_service(accounts.reset_password, username, password, actor=None)
    typer.echo(f"mật khẩu mới của {username!r} (các phiên đăng nhập đã kết thúc): {new}")


@token_cli.command("list")
def token_list(user: Annotated[str | None, typer.Option(help="only this account")] = None) -> None:
    """Every API token: id, account, name, created, expires, revoked, active."""
    for token in run_service(service.list_tokens, user):
        parts = [str(token.id), token.username, token.role.value, token.name]
        parts.append(f"tạo {token.created_at:%d/%m/%Y}")
        if token.expires_at is not None:
            parts.append(f"hết hạn {token.expires_at:%d/%m/%Y}")
        if token.revoked_at is not None:
            parts.append("đã thu hồi")
        parts.append("còn hiệu lực" if token.active else "hết hiệu lực")
        typer.echo("\t".join(parts))


@token_cli.command("create")
def token_create(username: str, name: str = "cli", expires_in_days: ExpiresOption = None) -> None:
    """A new API token for an account (shown only once)."""
    data = TokenCreate(username=username, name=name, expires_in_days=expires_in_days)
    created = run_service(service.create_token, data, actor=None)
    until = f", hết hạn {created.expires_at:%d/%m/%Y}" if created.expires_at else ""
    typer.echo(
        f"mã truy cập số {created.id} của {username!r}{until} (giữ bí mật, chỉ hiện một lần):"
    )
    typer.echo(created.token)


@token_cli.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke a token (or an API key) at once."""
    run_service(service.revoke_token, token_id, actor=None)
    typer.echo(f"đã thu hồi mã truy cập số {token_id}")
