/* placeholder: being written */
typedef int dp_placeholder_bader_t;
