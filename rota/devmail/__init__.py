"""The development mailbox: with DEBUG every email is kept in var/mail, listed at /dev/mail/."""
