"""The guide's advice, one tip per session: the one that fits what the runner does that day."""

from __future__ import annotations

from core.training.levels import Level

SLEEP = (
    "Recovery is when you get stronger: aim for 7–9 hours of sleep tonight; poor sleep slows "
    "muscle repair and makes injury and illness more likely."
)
TEN_PERCENT = (
    "The 10% rule: don't add more than 10% to your weekly running time — patience keeps you "
    "injury-free."
)
CONVERSATIONAL = (
    "Don't get hung up on speed: if you're gasping or can't chat comfortably, you're going too "
    "fast — slow it way down."
)
OWN_PROGRESS = (
    "Every runner started somewhere: focus on your own progress, not on how far or fast others go."
)
NO_RUSH = (
    "Don't rush the run/walk progression: there's no timescale, and repeating a stage is fine."
)
AEROBIC_BASE = (
    "80/20: about 80% of your week is easy, comfortable running — it builds the aerobic base "
    "that speed sits on."
)
CONSISTENCY = (
    "Consistency beats heroics: run regularly at a sustainable pace rather than exhausting "
    "yourself for days."
)
FORM = (
    "Form: stay relaxed — shoulders down, fists unclenched.",
    "Form: look ahead, not at your feet, to spare your neck.",
    "Form: run tall, shoulders directly below your ears — don't hunch as you tire.",
    "Form: swing your arms front to back, not across your body, to drive you forward.",
)
FARTLEK = (
    "Fartlek is speed play: no strict rules — if you feel good, make the next surge a little "
    "longer or faster."
)
INTERVALS = (
    "Run the fast parts hard but controlled and jog the recoveries: even reps beat a fast "
    "first one."
)
THRESHOLD = (
    "Threshold work teaches your body to handle the burn, so you can hold faster speeds "
    "without your legs seizing up."
)
VO2MAX = (
    "VO2max intervals stress your aerobic engine to its limit: hold form, pace and rhythm even "
    "when everything says slow down."
)
PACING = {
    "even": "Pacing practice: run every 400 m at the same pace — even splits.",
    "negative": (
        "Pacing practice: a negative split — run the second half faster than the first, as "
        "most runners should on race day."
    ),
    "banking": (
        "Pacing practice: bank time — run the first reps a touch fast and hold on; learn "
        "whether front-loading suits you."
    ),
}
SCENARIOS = (
    "Race scenarios: run with a club or friends and practise being boxed in and answering "
    "mid-race surges."
)
MENTAL = (
    "Mental game: visualize the discomfort at 800 m and the urge to slow at 1200 m, and how "
    "you'll respond — then see yourself crossing the line.",
    'Mental game: pick a mantra — "relax", "be brave", "run strong" — and use it when it hurts.',
    "Mental game: try counting (steps, breaths, laps remaining) to cope with discomfort; "
    "practise it until it's automatic.",
    "Embrace the discomfort: hold your form, pace and rhythm when your body screams at you "
    "to slow down.",
)
REST_DAY = (
    "Most coaches recommend one full rest day every week: it is when the training sinks in, so "
    "enjoy it without guilt."
)
STRENGTH_FORM = (
    "Strength work on your easy days — squats, lunges, calf raises — keeps muscles and joints "
    "ready for the running."
)
STRIDES = (
    "Strides are short bursts of faster running that improve speed, efficiency and form: "
    "stay relaxed, don't sprint."
)
STRENGTH = "Strength work wards off injuries: even 15–20 minutes twice a week makes a difference."
ACTIVE_RECOVERY = (
    "Active recovery: gentle walking, easy cycling or swimming promotes blood flow and eases "
    "sore muscles."
)
TIME_TRIAL = (
    "Start conservatively and only pick up the pace in the last 400 m if you feel strong. "
    "Next step after your first mile: the Couch to 5K program."
)
SHAKEOUT = (
    "Race nerves are normal: channel them — stick to your usual routine and food, and think "
    "through your plan."
)
RACE = {
    Level.BEGINNER: (
        "Start conservatively and only pick up the pace in the last 400 m if you feel strong: "
        "a sprint finish beats blowing up early."
    ),
    Level.IMPROVING: (
        "Have a plan before the gun — even splits or a negative split — and stick to it "
        "through the third lap."
    ),
    Level.COMPETITIVE: (
        "Execute your pacing plan — even, negative split or banking time — and use your "
        "mantra when it hurts at 1200 m."
    ),
}


def tip_for(session_type: str, level: Level, index: int, variant: str = "") -> str:
    """The one tip for a session; `index` (the week) rotates advice that has several forms."""
    if session_type == "rest":
        return SLEEP
    if session_type == "active_recovery":
        return ACTIVE_RECOVERY if index % 2 == 0 else SLEEP
    if session_type == "strength":
        return STRENGTH
    if session_type == "run_walk":
        return (CONVERSATIONAL, NO_RUSH, TEN_PERCENT, OWN_PROGRESS)[index % 4]
    if session_type == "easy":
        if variant == "strides":
            return STRIDES
        if level is Level.BEGINNER:
            return CONVERSATIONAL
        return (AEROBIC_BASE, *FORM)[index % 5]
    if session_type == "long":
        return (CONSISTENCY, TEN_PERCENT, AEROBIC_BASE)[index % 3]
    if session_type == "fartlek":
        return FARTLEK
    if session_type == "intervals":
        return FORM[index % 4] if index % 2 else INTERVALS
    if session_type == "threshold":
        return THRESHOLD if index % 2 == 0 else MENTAL[index // 2 % 4]
    if session_type == "vo2max":
        return VO2MAX if index % 2 == 0 else MENTAL[index // 2 % 4]
    if session_type == "mile_pace":
        if variant == "scenario":
            return SCENARIOS
        return PACING.get(variant, PACING["even"])
    if session_type == "time_trial":
        return TIME_TRIAL
    if session_type == "shakeout":
        return SHAKEOUT
    if session_type == "race":
        return RACE[level]
    return CONSISTENCY


MAX_PER_WEEK = 2  # no tip more than twice in a week
_POOLS = {
    "rest": (REST_DAY, SLEEP, OWN_PROGRESS, CONSISTENCY, TEN_PERCENT),
    "active_recovery": (ACTIVE_RECOVERY, SLEEP, OWN_PROGRESS, CONSISTENCY, STRENGTH_FORM),
    "strength": (STRENGTH, STRENGTH_FORM, SLEEP, CONSISTENCY),
}
_BEGINNER_RUNS = (CONVERSATIONAL, NO_RUSH, TEN_PERCENT, OWN_PROGRESS, CONSISTENCY, SLEEP)
_RUNNER_RUNS = (AEROBIC_BASE, CONSISTENCY, *FORM, TEN_PERCENT, SLEEP, *MENTAL)


def alternative(session_type: str, level: Level, used: dict[str, int]) -> str | None:
    """A tip from the guide that fits the day and this week has used least (None if all are
    spent)."""
    pool = _POOLS.get(session_type) or (
        _BEGINNER_RUNS if level is Level.BEGINNER else _RUNNER_RUNS
    )
    best = min(pool, key=lambda tip: used.get(tip, 0))
    return best if used.get(best, 0) < MAX_PER_WEEK else None
