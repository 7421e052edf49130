/* placeholder: being written */
typedef int dp_placeholder_fed_t;
