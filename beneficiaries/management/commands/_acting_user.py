"""The user a command acts as: named with --user, else the first administrator."""

from django.core.management.base import CommandError
from django.db.models import Q

from khuyencong.models import User


def add_user_argument(parser):
    parser.add_argument(
        "--user",
        help="Tên đăng nhập của người thực hiện (phạm vi và lịch sử); mặc định: quản trị viên.",
    )


def acting_user(username):
    users = User.objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        return user
    user = users.filter(Q(is_superuser=True) | Q(role=User.Role.ADMIN)).order_by("pk").first()
    if user is None:
        raise CommandError("Chưa có quản trị viên; hãy chỉ rõ --user.")
    return user
