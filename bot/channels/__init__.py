"""How subscribers reach the bot: finding the channels, and the life cycle of their webhooks.

`registry` finds the channels through the `mailmove.channels` entry points (the `Channel`
protocol they follow); `answer_first` is what every platform webhook does the same way
(verify, parse, store the turn, answer, deliver afterwards, resend without a second copy);
`choice_codes` fits a choice id into a button's payload and finds it again; `shape` is how a
platform declares the body it reads, checked before its SDK sees it. It may use the
`runtime` and everything below it (`engine`, `delivery`, `ops`, `store` ...); it imports no
adapter, and no platform SDK.
"""
