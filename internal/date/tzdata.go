package date

// The register's legal time zone must resolve on machines without tzdata.
import _ "time/tzdata"
