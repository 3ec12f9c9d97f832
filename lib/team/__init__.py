"""Working as a team on one server (issue 22): who may do what (`roles`), saves serialised across
processes and recorded as git commits with their author (`saving`, `history`), review before briefing
(`review`), and a per-user limit on saves (`limits`). No Streamlit here: the signed-in user is found by
`lib.ui.team` and passed in."""
