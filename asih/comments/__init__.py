"""Comments and questions on guides: model, spam rules, services, public display and form."""
