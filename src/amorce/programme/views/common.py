"""What every page of the programme shares: role groups, the section marker, rendering."""

from __future__ import annotations

from django.shortcuts import render

from amorce.web.roles import Role, has_role

TEAM = (Role.EQUIPE_PROGRAMME,)
STAFF = (Role.EQUIPE_PROGRAMME, Role.INSTRUCTEUR)
COACHING = (Role.EQUIPE_PROGRAMME, Role.COACH)
SECTION = {"current_section": "programme"}


def render_page(request, template: str, context: dict, **kwargs):
    return render(request, template, {**SECTION, **context}, **kwargs)


def is_staff(user) -> bool:
    return has_role(user, *STAFF)

