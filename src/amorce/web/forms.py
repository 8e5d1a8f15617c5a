from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="Identifiant", max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True,
                                                             "class": "fr-input"}))
    password = forms.CharField(label="Mot de passe", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                 "class": "fr-password__input fr-input"}))
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect. Vérifiez la saisie (les majuscules comptent).",
        "inactive": "Ce compte est désactivé.",
    }
