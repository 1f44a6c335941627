"""Marketing campaigns by e-mail and WhatsApp: messages, audiences, schedules, deliveries."""
