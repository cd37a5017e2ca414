"""Jobs (一.1, 一.2, 一.3, 一.5): employers, posts, applications, traineeships, hiring subsidies,
job fairs."""
