"""Pages of the call for projects, one module per section.

Views only parse the request, check roles and render; what they do to the data is in
:mod:`amorce.programme.services` (no HTTP object there).

- :mod:`.calls`: public pages of the calls, the team's dashboard and call editing;
- :mod:`.meetings`: registration to information meetings;
- :mod:`.candidate`: the candidate's deposit (step-by-step form, submission);
- :mod:`.dossier_list`: the instructeurs' list of dossiers and its exports;
- :mod:`.dossiers`: instruction of one dossier (eligibility, states, jury, decision, attachments);
- :mod:`.jury`: reviews and conflicts of interest;
- :mod:`.selection`: ranking, consensus and the exact selection;
- :mod:`.decisions`: letters and the applicant's explanation;
- :mod:`.follow_up`: follow-up of laureates (reports, budget, coaches, milestones);
- :mod:`.user_tests`: user-test campaigns and SUS questionnaires;
- :mod:`.demarche`: Démarche Numérique import and write-back.
"""
