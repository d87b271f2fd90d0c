"""Stable ids of the demo data, shared by the sandbox, the CLI's hints, tests and benchmarks.

Kept in a module of their own (no imports) so that naming a demo conversation costs nothing.
"""

DEMO_TOKEN = "sandbox-token"
DEMO_PROJECT_ID = "5d1f0b8e-2c47-4a93-8e6b-0f3a9c7d2e10"

# Chats
FAILING_CHAT_ID = "232a693b-fd7d-4d2a-a032-7a81471a07e5"  # billing dispute: fails several checks
BOOKING_CHAT_ID = "0a9503bc-04a1-4dc9-afcd-603868cd6eaa"  # table booking: every check passes
RESET_CHAT_ID = "71268ea7-a3f5-4177-a59f-97210e8a99fa"  # password reset
INJECTION_CHAT_ID = "68a5b4a8-abd9-46ff-af1b-cfe515639ab0"  # prompt-injection attempt
REFUND_CHAT_ID = "6addb3a9-e558-4933-abcd-f7ca85ae64fe"  # refund escalation: fails checks
HOSTILE_CHAT_ID = "05182466-47b5-4219-a1c1-cba98a73e69e"  # markup, escapes, RTL, emoji in text
COMPUTING_CHAT_ID = "d381293f-1773-4140-aebf-40a70ca6f638"  # metric rows arrive over time
RESCHEDULE_CHAT_ID = "3cb1bba4-0114-4283-a576-b3d71cda4072"  # fails only an authored yes/no

# Calls
FAILING_CALL_ID = "f67826ac-1674-4c81-a4bf-c5d643446664"  # latency spikes, a failed transfer
BOOKING_CALL_ID = "f78c15da-af87-495e-ab50-ac17303d8cee"
VOICEMAIL_CALL_ID = "4ebbb3f3-8067-4136-a175-13e8d7b044e4"
TRANSFER_CALL_ID = "cc071606-a515-4fda-a801-881524e01b44"

CHAT_IDS = (
    FAILING_CHAT_ID,
    BOOKING_CHAT_ID,
    RESET_CHAT_ID,
    INJECTION_CHAT_ID,
    REFUND_CHAT_ID,
    HOSTILE_CHAT_ID,
    COMPUTING_CHAT_ID,
    RESCHEDULE_CHAT_ID,
)
CALL_IDS = (FAILING_CALL_ID, BOOKING_CALL_ID, VOICEMAIL_CALL_ID, TRANSFER_CALL_ID)

# Simulation runs (run plan jobs) and their plans that two of the calls came from
BOOKING_RUN_PLAN_JOB_ID = "9e2b7c41-3d5a-4f86-b1c0-7a4e8d2f6c13"
BOOKING_RUN_PLAN_ID = "1c8f4e2a-6b3d-4a97-8e05-d2f7a9b3c416"
BILLING_RUN_PLAN_JOB_ID = "5a7d1e9c-8f24-4b3e-a6c1-0e9f2b4d7a58"
BILLING_RUN_PLAN_ID = "e4b0c6a2-1f9d-4c73-b58e-3a2d6f8c0b97"

# Only served when SandboxConfig(big_conversation=(metrics, values_per_metric)) asks for it.
BIG_CHAT_ID = "b16c4a7e-5d2f-4e8a-9c31-0f7e2d9a6b58"  # benchmark: N metrics x M values
