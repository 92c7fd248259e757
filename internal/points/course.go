package points

import "permis/internal/date"

// creditCourses credits voluntary awareness courses the day after their last
// day (§3.5): +4 within the ceiling in force, at most once a year (a course
// ending on 2 December 2020 allows the next one ending from 2 December 2021),
// only when points were actually lost, and never once the balance reached
// zero (the replay stops there). A refused course moves nothing and does not
// start a new year.
func (s *sim) creditCourses(d date.Date) {
	for s.nextCourse < len(s.courses) {
		c := s.courses[s.nextCourse]
		if c.LastDay.AddDays(s.r.CourseDelayDays) != d {
			return
		}
		s.nextCourse++
		if s.hasCourse && c.LastDay.Before(s.lastCourse.AddYears(s.r.CourseIntervalYears)) {
			continue
		}
		room := s.room(d)
		if room == 0 {
			continue
		}
		s.lastCourse, s.hasCourse = c.LastDay, true
		s.move(d, min(s.r.CourseCredit, room), KindCourse, c.ID)
	}
}
