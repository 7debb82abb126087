// Package guard stops bulk theft of recipient data. It watches every
// request that shows, prints or resolves personal data, per actor, and
// answers with a graded response: record an alert, require a fresh second
// factor, or suspend the account at once.
//
// The rules are inline and cheap: sliding windows in memory per actor, and
// baselines (the actor's own and its peer group's daily volume) supplied by
// the caller from storage. Hard quotas live in storage so that they hold
// across server processes; this package only decides. Time always comes
// from the activity, so tests drive a clock instead of sleeping.
package guard
